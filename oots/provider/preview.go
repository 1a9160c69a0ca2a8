package provider

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/edm"
)

// View is the JSON view of a preview the app renders field by field.
type View struct {
	Title     string  `json:"title"`
	Provider  string  `json:"provider"`
	Requester string  `json:"requester"`
	Format    string  `json:"format"`
	Fields    []Field `json:"fields"`
	// Language is the language of the texts (lower case, e.g. "lv");
	// Languages are those the provider offers.
	Language    string    `json:"language"`
	Languages   []string  `json:"languages"`
	Expires     time.Time `json:"expires"`
	DecisionURL string    `json:"decisionUrl"`
}

// Decided is the JSON answer to a decision.
type Decided struct {
	State string `json:"state"` // "approved" or "refused"
}

// previewRoutes builds the preview space:
//
//	GET  <path>/{token}           sign-in page (identify with the identifier of the request)
//	POST <path>/{token}/view      the evidence, until decided (HTML, or View as JSON)
//	POST <path>/{token}/decision  approve or refuse (HTML, or Decided as JSON)
//
// Bodies are forms or JSON ({"subject": ..., "decision": ...}); a JSON body
// or an Accept of application/json gets JSON back.
func (p *Provider) previewRoutes() *http.ServeMux {
	base := p.previewPath()
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+base+"/{token}", p.signIn)
	mux.HandleFunc("POST "+base+"/{token}/view", p.view)
	mux.HandleFunc("POST "+base+"/{token}/decision", p.decision)
	return mux
}

// previewError is a failure shown to the citizen, with its HTTP status.
type previewError struct {
	Status int
	Text   string
}

func (e *previewError) Error() string { return e.Text }

// load finds the preview of the request's token and checks that it may
// still be used: it answers 404 for unknown tokens and 410 for expired
// ones.
func (p *Provider) load(ctx context.Context, r *http.Request) (*preview, error) {
	token := r.PathValue("token")
	if !tokenRE.MatchString(token) {
		return nil, &previewError{http.StatusNotFound, "There is no such preview."}
	}
	pv, err := p.store.get(ctx, hashToken(token))
	if errors.Is(err, errNoPreview) {
		return nil, &previewError{http.StatusNotFound, "There is no such preview."}
	}
	if err != nil {
		return nil, err
	}
	if (pv.State == statePending || pv.State == stateViewed) && !p.cfg.Now().Before(pv.Expires) {
		return nil, &previewError{http.StatusGone, "This preview has expired. Ask for the evidence again."}
	}
	return pv, nil
}

// signIn shows the sign-in form of a preview.
func (p *Provider) signIn(w http.ResponseWriter, r *http.Request) {
	back, err := returnURL(r)
	if err != nil {
		p.previewFail(w, r, err)
		return
	}
	pv, err := p.load(r.Context(), r)
	if err != nil {
		p.previewFail(w, r, err)
		return
	}
	if pv.State != statePending && pv.State != stateViewed {
		p.previewFail(w, r, &previewError{http.StatusGone, "This preview was already decided."})
		return
	}
	p.page(w, http.StatusOK, signInPage, map[string]any{"Action": r.URL.Path + "/view" + withReturn(back), "Expires": pv.Expires.UTC().Format(time.RFC1123)})
}

// view checks the identifier, marks the preview viewed and shows the
// evidence, again if asked again, until the preview is decided or expires.
func (p *Provider) view(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	back, err := returnURL(r)
	if err != nil {
		p.previewFail(w, r, err)
		return
	}
	pv, in, err := p.authorise(ctx, r, false)
	if err != nil {
		p.previewFail(w, r, err)
		return
	}
	req, err := edm.ParseQueryRequest(pv.Request)
	if err != nil {
		p.previewFail(w, r, fmt.Errorf("stored request: %w", err))
		return
	}
	o := p.cat.byClass[pv.EvidenceType]
	svc, ok := p.cfg.Directory.Service(pv.ProviderURN)
	if o == nil || !ok {
		p.previewFail(w, r, fmt.Errorf("preview %s: evidence type or provider gone from the directory", pv.ExchangeID))
		return
	}
	// The evidence is shown, and released after the approval, in the
	// citizen's language where the provider offers it.
	language := viewLanguage(svc, in.Language)
	doc, err := generate(o, svc, req, language, pv.Created)
	if err != nil {
		p.previewFail(w, r, &previewError{http.StatusNotFound, "The register holds no such evidence."})
		return
	}
	if err := p.store.markViewed(ctx, pv.TokenHash, p.cfg.Now(), language); err != nil {
		p.previewFail(w, r, p.stateError(err, "This preview was already decided."))
		return
	}
	v := View{
		Title: doc.Title, Provider: providerName(svc, language), Requester: requesterName(req),
		Format: doc.Format, Fields: doc.Fields, Language: language, Languages: offeredLanguages(svc),
		Expires: pv.Expires.UTC(), DecisionURL: strings.TrimSuffix(r.URL.Path, "/view") + "/decision",
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, v)
		return
	}
	// The decision form leads (by the decision's redirect) back to the
	// requester: the page's policy lets it.
	p.pageLeadingTo(w, http.StatusOK, viewPage, map[string]any{"V": v, "Subject": in.Subject, "Action": v.DecisionURL + withReturn(back)}, origin(back))
}

// decision records approve or refuse, once, and sends a browser that
// came with a return URL back there.
func (p *Provider) decision(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	back, err := returnURL(r)
	if err != nil {
		p.previewFail(w, r, err)
		return
	}
	pv, in, err := p.authorise(ctx, r, true)
	if err != nil {
		p.previewFail(w, r, err)
		return
	}
	approve := in.Decision == DecisionApprove
	state := stateRefused
	if approve {
		state = stateApproved
	}
	decided := false
	if pv.State == stateViewed {
		err := p.store.decide(ctx, pv.TokenHash, approve, p.cfg.Now(), p.cfg.PreviewTTL)
		switch {
		case err == nil:
			decided = true
		case errors.Is(err, errState):
			// Another call decided it meanwhile (two taps, a retry after a
			// lost answer), or its time ran out: read which.
			if pv, err = p.store.get(ctx, pv.TokenHash); err != nil {
				p.previewFail(w, r, err)
				return
			}
			if pv.State == stateViewed {
				p.previewFail(w, r, &previewError{http.StatusGone, "This preview has expired."})
				return
			}
		default:
			p.previewFail(w, r, err)
			return
		}
	}
	switch {
	case decided:
		p.cfg.Logger.Info("provider: preview decided", "exchange", pv.ExchangeID, "state", state)
	case pv.State == statePending:
		p.previewFail(w, r, &previewError{http.StatusConflict, "Look at the evidence before deciding."})
		return
	case pv.State == state:
		// The same decision again: the requester lost our first answer
		// (it crashed), or two calls came at once; each gets the same
		// answer, nothing changes.
		p.cfg.Logger.Info("provider: preview decision repeated", "exchange", pv.ExchangeID, "state", state)
	default:
		p.previewFail(w, r, &previewError{http.StatusConflict, "This preview was already decided otherwise."})
		return
	}
	switch {
	case wantsJSON(r):
		writeJSON(w, http.StatusOK, Decided{State: state})
	case back != nil:
		securityHeaders(w)
		http.Redirect(w, r, back.String(), http.StatusSeeOther)
	default:
		p.page(w, http.StatusOK, decidedPage, map[string]any{"Approved": approve})
	}
}

// authorise loads the preview and checks the identifier in the body
// against the person the preview is bound to.
func (p *Provider) authorise(ctx context.Context, r *http.Request, needDecision bool) (*preview, input, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxInput+1))
	if err != nil {
		return nil, input{}, &previewError{http.StatusBadRequest, "The request could not be read."}
	}
	in, err := parseInput(r.Header.Get("Content-Type"), body, needDecision)
	if err != nil {
		return nil, in, &previewError{http.StatusBadRequest, err.Error()}
	}
	pv, err := p.load(ctx, r)
	if err != nil {
		return nil, in, err
	}
	if subtle.ConstantTimeCompare([]byte(in.Subject), []byte(pv.Previewer)) != 1 {
		return nil, in, &previewError{http.StatusForbidden, "This preview is for another person."}
	}
	return pv, in, nil
}

// stateError turns a refused state change into a 409 or 410.
func (p *Provider) stateError(err error, conflict string) error {
	if errors.Is(err, errState) {
		return &previewError{http.StatusConflict, conflict}
	}
	return err
}

// previewFail answers an error: the text of a previewError, or a generic
// 500 (logged) for our own trouble.
func (p *Provider) previewFail(w http.ResponseWriter, r *http.Request, err error) {
	var pe *previewError
	if !errors.As(err, &pe) {
		p.cfg.Logger.Error("provider: preview space", "err", err)
		pe = &previewError{http.StatusInternalServerError, "Something went wrong on our side."}
	}
	if wantsJSON(r) {
		writeJSON(w, pe.Status, map[string]string{"error": pe.Text})
		return
	}
	p.page(w, pe.Status, errorPage, map[string]any{"Text": pe.Text})
}

// wantsJSON reports whether the client sent or asked for JSON.
func wantsJSON(r *http.Request) bool {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" {
		return true
	}
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	securityHeaders(w)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// securityHeaders keeps the pages out of caches and frames.
func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", contentPolicy(""))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

// contentPolicy is the pages' Content-Security-Policy; formsTo is an
// origin besides ours that forms may lead to ("" for none).
func contentPolicy(formsTo string) string {
	if formsTo != "" {
		formsTo = " " + formsTo
	}
	return "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'" + formsTo + "; frame-ancestors 'none'"
}

// requesterName is the name of the evidence requester of req.
func requesterName(req *edm.QueryRequest) string {
	a := edm.RequesterOf(req)
	if len(a.Names) > 0 {
		return a.Names[0].Value
	}
	return a.Identifier.Value
}
