package exchange

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/eidas"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// maxPreviewAnswer bounds what the service reads from a preview space.
const maxPreviewAnswer = 1 << 20

// previewView is the JSON view of a provider's preview space.
type previewView struct {
	Title    string `json:"title"`
	Provider string `json:"provider"`
	Fields   []struct {
		Name       string `json:"name"`
		Value      string `json:"value"`
		Source     string `json:"source"`
		LegalBasis string `json:"legalBasis"`
	} `json:"fields"`
	Language    string   `json:"language"`
	Languages   []string `json:"languages"`
	DecisionURL string   `json:"decisionUrl"`
}

// Preview fetches the evidence from the provider's preview space for who
// and keeps it on the request so the app can show it field by field
// before who decides. The preview space shows it again until the
// decision, so a fetch cut off by a crash is simply repeated; of calls at
// the same time, the first stored wins and all answer with it. The texts
// come in language (ISO 639-1) when the provider offers it.
func (q *Requests) Preview(ctx context.Context, who Principal, id, language string) (*api.Request, error) {
	var out *api.Request
	err := retryOnConflict(func() error {
		rec, doc, err := q.load(ctx, who, id)
		if err != nil {
			return err
		}
		if doc.Facts.Preview == nil {
			if err := q.fetchPreview(ctx, who, rec, doc, language); err != nil {
				return err
			}
		}
		out, err = q.view(ctx, doc)
		return err
	})
	return out, err
}

// fetchPreview asks the provider's preview space for the evidence of the
// request and stores it with the request.
func (q *Requests) fetchPreview(ctx context.Context, who Principal, rec *store.RequestRecord, doc *requestDoc, language string) error {
	if doc.Lifecycle.State != lifecycle.PreviewRequired {
		return &lifecycle.TransitionError{State: doc.Lifecycle.State, Event: "preview", Reason: "no preview is waiting"}
	}
	subject, err := doc.previewer(who)
	if err != nil {
		return err
	}
	var v previewView
	if err := q.postPreview(ctx, doc.Lifecycle.PreviewLocation+"/view", map[string]string{"subject": subject, "language": language}, &v); err != nil {
		return err
	}
	loc, err := url.Parse(doc.Lifecycle.PreviewLocation)
	if err != nil {
		return err
	}
	decision, err := loc.Parse(v.DecisionURL)
	if err != nil || decision.Host != loc.Host || decision.Scheme != "https" {
		return fmt.Errorf("preview space of request %s: decision URL %q is not on the preview space", rec.ID, v.DecisionURL)
	}
	p := &storedPreview{Title: v.Title, Provider: v.Provider, Language: v.Language, Languages: v.Languages}
	for _, f := range v.Fields {
		p.Fields = append(p.Fields, storedPreviewField{Name: f.Name, Value: f.Value, Source: f.Source, LegalBasis: f.LegalBasis})
	}
	doc.Facts.Preview, doc.DecisionURL = p, decision.String()
	viewed := store.Effects{Ledger: []ledger.Record{doc.ledgerRecord(who, "evidence_viewed")}}
	return q.save(ctx, rec, doc, []store.TimelineEntry{doc.step("preview_viewed", v.Provider)}, false, viewed)
}

// Decide records who's decision on the preview at the provider and moves
// the request on: approval sends the request again with the
// PreviewLocation, refusal ends it.
func (q *Requests) Decide(ctx context.Context, who Principal, id string, d api.Decision) (*api.Request, error) {
	kind := map[string]lifecycle.EventKind{"approve": lifecycle.PreviewApproved, "refuse": lifecycle.PreviewRefused}[d.Decision]
	if kind == "" {
		return nil, fmt.Errorf("%w: decision must be approve or refuse", ErrInvalid)
	}
	_, doc, err := q.load(ctx, who, id)
	if err != nil {
		return nil, err
	}
	if doc.Facts.Preview == nil || doc.DecisionURL == "" {
		return nil, fmt.Errorf("%w: open the preview before deciding", ErrInvalid)
	}
	if doc.Lifecycle.State != lifecycle.PreviewRequired {
		return nil, &lifecycle.TransitionError{State: doc.Lifecycle.State, Event: kind, Reason: "no preview is waiting"}
	}
	subject, err := doc.previewer(who)
	if err != nil {
		return nil, err
	}
	var out struct{ State string }
	if err := q.postPreview(ctx, doc.DecisionURL, map[string]string{"subject": subject, "decision": d.Decision}, &out); err != nil {
		return nil, err
	}
	return q.change(ctx, who, id, lifecycle.Event{Kind: kind}, func(doc *requestDoc) error {
		doc.Facts.Preview.Decision = d.Decision
		return nil
	})
}

// previewer is who's identifier as the QueryRequest gave it to the
// provider, addressed to the provider's country (requester.Query does the
// same): the preview space binds the preview to that identifier.
func (doc *requestDoc) previewer(who Principal) (string, error) {
	if doc.DataService == nil {
		return "", fmt.Errorf("request %s has no provider to address the preview to", doc.Facts.ID)
	}
	id, err := eidas.ParseID(who.Subject)
	if err != nil {
		return "", err
	}
	to, err := id.For(doc.DataService.toMessage().Provider.Country())
	if err != nil {
		return "", err
	}
	return to.String(), nil
}

// postPreview posts JSON to a provider's preview space and decodes its
// JSON answer.
func (q *Requests) postPreview(ctx context.Context, u string, body, out any) error {
	if q.preview == nil {
		return fmt.Errorf("no preview space is reachable from this service")
	}
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := q.preview.Do(req)
	if err != nil {
		return fmt.Errorf("%w: preview space: %w", ErrProviderUnavailable, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxPreviewAnswer))
	if err != nil {
		return fmt.Errorf("%w: preview space: %w", ErrProviderUnavailable, err)
	}
	switch {
	case resp.StatusCode >= 500:
		return fmt.Errorf("%w: preview space answered %d: %.200s", ErrProviderUnavailable, resp.StatusCode, data)
	case resp.StatusCode != http.StatusOK:
		return &ProviderRefusal{Status: resp.StatusCode, Message: refusalMessage(data)}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%w: preview space answer: %w", ErrProviderUnavailable, err)
	}
	return nil
}

// ErrProviderUnavailable wraps the errors of a provider's service (its
// preview space) that could not be reached or failed on its side; the
// citizen may try again later.
var ErrProviderUnavailable = errors.New("the provider's service does not answer")

// ProviderRefusal is a provider's service saying no to a call made for
// the citizen (a 4xx answer of its preview space), in its own words.
type ProviderRefusal struct {
	Status  int
	Message string
}

func (e *ProviderRefusal) Error() string {
	return fmt.Sprintf("the provider refused (%d): %s", e.Status, e.Message)
}

// refusalMessage is the readable part of a refusal's body: the
// "message" of a JSON error, else the text itself, one line, at most 200
// bytes of valid UTF-8.
func refusalMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
		Error   struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	msg := string(body)
	if json.Unmarshal(body, &e) == nil {
		msg = cmp.Or(e.Message, e.Error.Message, msg)
	}
	msg = strings.Join(strings.Fields(strings.ToValidUTF8(msg, "")), " ")
	for len(msg) > 200 {
		_, size := utf8.DecodeLastRuneInString(msg)
		msg = msg[:len(msg)-size]
	}
	return msg
}

// PreviewReturnParam is the query parameter of the PreviewLocation that
// carries our return URL to the provider's preview space (OOTS technical
// design 4.9: the preview space sends the browser back to it).
const PreviewReturnParam = "returnurl"

// PreviewReturnURL is where the preview space sends the citizen's browser
// back to after the preview of request id: the app's direct link to the
// request below base (it opens the app there, or the portal's page).
func PreviewReturnURL(base, id string) string {
	return strings.TrimSuffix(base, "/") + "/open/requests/" + url.PathEscape(id)
}

// setPreviewURL gives a waiting preview its browser address, when the
// service sends citizens to the preview spaces (a preview return URL).
func (q *Requests) setPreviewURL(v *api.Request) {
	v.PreviewURL = ""
	if q.previewReturn == "" || v.State != string(lifecycle.PreviewRequired) || v.PreviewLocation == "" {
		return
	}
	u, err := url.Parse(v.PreviewLocation)
	if err != nil {
		return // the lifecycle accepted only absolute https URLs
	}
	param := PreviewReturnParam + "=" + url.QueryEscape(PreviewReturnURL(q.previewReturn, v.ID))
	if u.RawQuery == "" {
		u.RawQuery = param
	} else {
		u.RawQuery += "&" + param
	}
	v.PreviewURL = u.String()
}

// PreviewReturned records that who came back from the provider's preview
// space in the browser (Request.PreviewURL) and sends the second request
// with the PreviewLocation; the provider, where who decided, answers it
// with the evidence or the refusal. Only the request's owner may, and only
// when the service sends citizens to the preview spaces.
func (q *Requests) PreviewReturned(ctx context.Context, who Principal, id string) (*api.Request, error) {
	return q.change(ctx, who, id, lifecycle.Event{Kind: lifecycle.PreviewReturned}, func(*requestDoc) error {
		if q.previewReturn == "" {
			return fmt.Errorf("%w: this service shows previews itself (no preview return URL is configured); open the preview and decide", ErrInvalid)
		}
		return nil
	})
}
