package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// maxBody bounds the JSON bodies the API reads.
const maxBody = 64 << 10

// signedInHandler is a handler for an authenticated person.
type signedInHandler func(w http.ResponseWriter, r *http.Request, who Principal)

// signedIn answers 401 unless the call is authenticated.
func (a *restAPI) signedIn(h signedInHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.auth == nil || a.reqs == nil {
			writeError(w, http.StatusNotFound, api.CodeNotFound, "evidence requests are not served here")
			return
		}
		who, err := a.auth.Authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="vienreiz"`)
			writeError(w, http.StatusUnauthorized, api.CodeUnauthorized, err.Error())
			return
		}
		if who, err = a.reqs.withAssignedRole(r.Context(), who); err != nil {
			a.internal(w, r, err)
			return
		}
		h(w, r, who)
	}
}

func (a *restAPI) createRequest(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.NewRequest
	if !readJSON(w, r, &in) {
		return
	}
	out, created, err := a.reqs.Start(r.Context(), who, in)
	status := http.StatusOK // the request there was
	if created {
		status = http.StatusCreated
	}
	a.answer(w, r, status, out, err)
}

func (a *restAPI) listRequests(w http.ResponseWriter, r *http.Request, who Principal) {
	list, err := a.reqs.List(r.Context(), who)
	a.answer(w, r, http.StatusOK, api.RequestList{Requests: list, Count: len(list)}, err)
}

func (a *restAPI) listDesk(w http.ResponseWriter, r *http.Request, who Principal) {
	list, err := a.reqs.Desk(r.Context(), who)
	a.answer(w, r, http.StatusOK, api.RequestList{Requests: list, Count: len(list)}, err)
}

func (a *restAPI) listEvidence(w http.ResponseWriter, r *http.Request, who Principal) {
	docs, err := a.reqs.Documents(r.Context(), who)
	a.answer(w, r, http.StatusOK, api.DocumentList{Documents: docs, Count: len(docs)}, err)
}

func (a *restAPI) getRequest(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.Get(r.Context(), who, r.PathValue("id"))
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) giveAttributes(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.Attributes
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.reqs.GiveAttributes(r.Context(), who, r.PathValue("id"), in)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) giveExplicitRequest(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.GiveExplicitRequest(r.Context(), who, r.PathValue("id"))
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) retryRequest(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.Attributes
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.reqs.Retry(r.Context(), who, r.PathValue("id"), in)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) cancelRequest(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.Cancel(r.Context(), who, r.PathValue("id"))
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) openPreview(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.Preview(r.Context(), who, r.PathValue("id"), preferredLanguage(r))
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) decidePreview(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.Decision
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.reqs.Decide(r.Context(), who, r.PathValue("id"), in)
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) previewReturned(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.PreviewReturned(r.Context(), who, r.PathValue("id"))
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) downloadEvidence(w http.ResponseWriter, r *http.Request, who Principal) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "no such evidence document")
		return
	}
	doc, content, err := a.reqs.Evidence(r.Context(), who, r.PathValue("id"), n)
	if err != nil {
		a.answer(w, r, http.StatusOK, nil, err)
		return
	}
	defer content.Close()
	etag := `"` + doc.SHA256 + `"`
	if countsAsDownload(r, etag) {
		if err := a.reqs.RecordDownload(r.Context(), who, r.PathValue("id")); err != nil {
			a.answer(w, r, http.StatusOK, nil, err)
			return
		}
	}
	w.Header().Set("Content-Type", doc.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", "attachment")
	w.Header().Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, content)
}

// countsAsDownload reports whether a request for a document is a download
// for the ledger: a GET that is not answered 304 (the client has it) and
// asks for the document from its start. A HEAD, a revalidation and the
// later ranges of a resumed download are not new downloads.
func countsAsDownload(r *http.Request, etag string) bool {
	if r.Method != http.MethodGet {
		return false
	}
	for _, t := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/")); t == etag || t == "*" {
			return false
		}
	}
	rng := r.Header.Get("Range")
	return rng == "" || strings.HasPrefix(strings.ReplaceAll(rng, " ", ""), "bytes=0-")
}

// answer writes out with status, or the error as the API's JSON error.
func (a *restAPI) answer(w http.ResponseWriter, r *http.Request, status int, out any, err error) {
	var (
		low     *LevelTooLowError
		refusal *ProviderRefusal
		mandate *MandateRefusedError
		subject *SubjectRefusedError
		open    *UnderWayError
	)
	switch {
	case errors.As(err, &mandate):
		writeError(w, http.StatusForbidden, mandate.Code, err.Error())
	case errors.As(err, &subject):
		writeError(w, http.StatusUnprocessableEntity, subject.Code, err.Error())
	case errors.As(err, &open):
		writeJSON(w, http.StatusConflict, api.ErrorBody{Error: api.Error{Code: api.CodeUnderWay, Message: err.Error(), RequestID: open.RequestID}})
	case errors.Is(err, ErrNoSuchMandate):
		writeError(w, http.StatusNotFound, api.CodeNotFound, "no such mandate")
	case err == nil:
		writeJSON(w, status, out)
	case errors.As(err, &low):
		writeJSON(w, http.StatusForbidden, api.ErrorBody{Error: api.Error{Code: api.CodeLevelTooLow, Message: err.Error(), LevelOfAssurance: low.Need}})
	case errors.Is(err, ErrInvalid):
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, err.Error())
	case errors.Is(err, ErrTooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, api.CodeBadRequest, err.Error())
	case errors.Is(err, ErrUnsupportedType):
		writeError(w, http.StatusUnsupportedMediaType, api.CodeBadRequest, err.Error())
	case errors.Is(err, ErrStillOpen):
		writeError(w, http.StatusConflict, api.CodeConflict, err.Error())
	case errors.Is(err, ErrKeyReused):
		writeError(w, http.StatusConflict, api.CodeConflict, err.Error())
	case errors.Is(err, ErrDecidedMeanwhile):
		writeError(w, http.StatusConflict, api.CodeDecidedMeanwhile, err.Error())
	case errors.Is(err, ErrForbidden):
		writeError(w, http.StatusForbidden, api.CodeForbidden, err.Error())
	case errors.Is(err, ErrNotYours):
		writeError(w, http.StatusNotFound, api.CodeNotFound, "no such request")
	case errors.Is(err, lifecycle.ErrForbidden), errors.Is(err, lifecycle.ErrBadEvent), errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, api.CodeConflict, err.Error())
	case errors.As(err, &refusal):
		a.log.Warn("the provider refused a call for the citizen", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusBadGateway, api.CodeProviderRefused, "the evidence provider refused: "+refusal.Message)
	case errors.Is(err, ErrProviderUnavailable):
		a.log.Warn("the provider's service does not answer", "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "60")
		writeError(w, http.StatusBadGateway, api.CodeProviderUnavailable, "the evidence provider's service does not answer; try again later")
	default:
		a.internal(w, r, err)
	}
}

// readJSON decodes a JSON body (Content-Type application/json, valid
// UTF-8) of at most maxBody bytes with no unknown fields, or answers
// 415/400 and returns false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, api.CodeBadRequest, "the body must be JSON (Content-Type: application/json)")
		return false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	switch {
	case err != nil:
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, "the body could not be read")
		return false
	case len(body) > maxBody:
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, fmt.Sprintf("the body is larger than %d bytes", maxBody))
		return false
	case !utf8.Valid(body):
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, "the body is not valid UTF-8")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, "the body is not the expected JSON: "+err.Error())
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, "the body holds more than one JSON value")
		return false
	}
	return true
}

// preferredLanguage is the first language of the call's Accept-Language
// header as an ISO 639-1 code (e.g. "lv" of "lv-LV,en;q=0.5"), else "".
func preferredLanguage(r *http.Request) string {
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	first, _, _ = strings.Cut(strings.TrimSpace(first), ";")
	code, _, _ := strings.Cut(first, "-")
	if len(code) != 2 {
		return ""
	}
	return strings.ToLower(code)
}
