package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/oots/store"
)

// CatalogueStore is what the REST API needs of the store for the catalogue.
type CatalogueStore interface {
	SearchServices(ctx context.Context, q catalogue.Query) ([]catalogue.Service, error)
	Service(ctx context.Context, id string) (*catalogue.Service, error)
	Facets(ctx context.Context) (*catalogue.Facets, error)
	Ping(ctx context.Context) error
}

// restAPI is the exchange service's REST API.
type restAPI struct {
	cat  CatalogueStore
	reqs *Requests
	// handoffs serves the handoff links (nil when Requests is).
	handoffs *Handoffs
	auth     Authenticator
	log      *slog.Logger
	// ledger reports the last ledger verification (nil: not shown).
	ledger func() api.LedgerHealth
	// streams bounds the event streams open at once.
	streams *streamLimiter
	// guesses bounds the failed pairing codes per address.
	guesses *guessLimiter
	// signInWith is the identity provider apps sign in with.
	signInWith identity.Provider
	// sessionSecret is HandlerConfig.HandoffKey, which the portal's
	// session key is derived from (nil: the portal makes its own).
	sessionSecret []byte
	// portalIdle is Limits.PortalIdle.
	portalIdle time.Duration
}

// HandlerConfig is what the REST API serves.
type HandlerConfig struct {
	Catalogue CatalogueStore
	// Requests runs evidence requests; Auth tells whose they are.
	Requests *Requests
	Auth     Authenticator
	// Log receives structured logs; slog.Default when nil.
	Log *slog.Logger
	// Ledger, when set, reports the last ledger verification on
	// /v1/health.
	Ledger func() api.LedgerHealth
	// Limits bound the event streams and the pairing code guesses (zero
	// fields: DefaultLimits).
	Limits Limits
	// AppLinks are the apps the https links open (none: not served).
	AppLinks AppLinks
	// HandoffKey signs the handoff links (see Config.HandoffKey).
	HandoffKey []byte
	// SignIn is the identity provider apps sign in with, served at
	// GET /v1/sign-in (no issuer: not served).
	SignIn identity.Provider
}

// NewHandler returns the REST API, with logging and panic recovery.
func NewHandler(cfg HandlerConfig) http.Handler {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	limits := cfg.Limits.withDefaults()
	a := &restAPI{cat: cfg.Catalogue, reqs: cfg.Requests, auth: cfg.Auth, log: cfg.Log, ledger: cfg.Ledger,
		streams: newStreamLimiter(limits), guesses: newGuessLimiter(limits.CodeGuesses, time.Now), signInWith: cfg.SignIn,
		sessionSecret: cfg.HandoffKey, portalIdle: limits.PortalIdle}
	if cfg.Requests != nil {
		a.handoffs = NewHandoffs(cfg.Requests, cfg.HandoffKey)
		if a.auth != nil { // devices signed in by pairing, beside the identity provider's tokens
			a.auth = deviceTokens{h: a.handoffs, next: a.auth}
		}
	}
	mux := http.NewServeMux()
	for _, rt := range a.routes() {
		mux.HandleFunc(rt.pattern, rt.handler)
	}
	a.mountPortal(mux)
	if links, err := cfg.AppLinks.Normalized(); err != nil {
		cfg.Log.Error("app links not served", "err", err)
	} else {
		mountAppLinks(mux, links)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	return a.logged(carriedThrough(mux))
}

// route is one endpoint: "METHOD /path" and its handler. The OpenAPI
// document lists exactly these (a test holds the two together).
type route struct {
	pattern string
	handler http.HandlerFunc
}

func (a *restAPI) routes() []route {
	return []route{
		{"GET /openapi.json", serveOpenAPI},
		{"GET /v1/health", a.health},
		{"GET /v1/sign-in", a.signIn},
		{"GET /v1/services", a.listServices},
		{"GET /v1/services/{id}", a.getService},
		{"GET /v1/facets", a.facets},
		{"GET /v1/evidence-countries", a.evidenceCountries},
		{"POST /v1/requests", a.signedIn(a.createRequest)},
		{"GET /v1/requests", a.signedIn(a.listRequests)},
		{"GET /v1/desk", a.signedIn(a.listDesk)},
		{"GET /v1/requests/{id}", a.signedIn(a.getRequest)},
		{"POST /v1/requests/{id}/attributes", a.signedIn(a.giveAttributes)},
		{"POST /v1/requests/{id}/explicit-request", a.signedIn(a.giveExplicitRequest)},
		{"POST /v1/requests/{id}/cancel", a.signedIn(a.cancelRequest)},
		{"POST /v1/requests/{id}/retry", a.signedIn(a.retryRequest)},
		{"POST /v1/requests/{id}/archive", a.signedIn(a.archiveRequest)},
		{"POST /v1/requests/{id}/feedback", a.signedIn(a.giveFeedback)},
		{"GET /v1/feedback", a.signedIn(a.listFeedback)},
		{"POST /v1/requests/{id}/preview", a.signedIn(a.openPreview)},
		{"POST /v1/requests/{id}/preview/decision", a.signedIn(a.decidePreview)},
		{"POST /v1/requests/{id}/preview/returned", a.signedIn(a.previewReturned)},
		{"GET /v1/requests/{id}/evidence/{n}", a.signedIn(a.downloadEvidence)},
		{"GET /v1/evidence", a.signedIn(a.listEvidence)},
		{"POST /v1/requests/{id}/status", a.signedIn(a.postStatus)},
		{"POST /v1/requests/{id}/ask-evidence", a.signedIn(a.askEvidence)},
		{"POST /v1/requests/{id}/result", a.signedIn(a.attachResult)},
		{"GET /v1/requests/{id}/ledger", a.signedIn(a.requestTrail)},
		{"GET /v1/ledger", a.signedIn(a.exportLedger)},
		{"GET /v1/events", a.signedIn(a.serveEvents)},
		{"GET /v1/inbox", a.signedIn(a.listInbox)},
		{"POST /v1/inbox/read", a.signedIn(a.markInboxRead)},
		{"POST /v1/inbox/{id}/read", a.signedIn(a.markInboxRead)},
		{"GET /v1/calendar.ics", a.signedIn(a.calendar)},
		{"POST /v1/handoffs", a.signedIn(a.createHandoff)},
		{"POST /v1/handoffs/redeem", a.signedIn(a.redeemHandoff)},
		{"POST /v1/devices/pairings", a.signedIn(a.createPairing)},
		{"POST /v1/devices/pair", a.pairDevice},
		{"POST /v1/devices/refresh", a.refreshDevice},
		{"GET /v1/devices", a.signedIn(a.listDevices)},
		{"GET /v1/me", a.signedIn(a.me)},
		{"POST /v1/devices/{id}/revoke", a.signedIn(a.revokeDevice)},
		{"POST /v1/devices/revoke", a.signedIn(a.revokeDevices)},
		{"GET /v1/admin/roles", a.signedIn(a.listRoles)},
		{"POST /v1/admin/roles", a.signedIn(a.assignRole)},
		{"POST /v1/admin/roles/remove", a.signedIn(a.removeRole)},
		{"GET /v1/mandates", a.signedIn(a.listMandates)},
		{"POST /v1/mandates", a.signedIn(a.giveMandate)},
		{"POST /v1/mandates/{id}/revoke", a.signedIn(a.revokeMandate)},
	}
}

func (a *restAPI) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.cat.Ping(ctx); err != nil {
		a.log.Error("health: database does not answer", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, api.Health{Status: "unavailable", Database: err.Error()})
		return
	}
	h := api.Health{Status: "ok", Database: "ok"}
	if a.ledger != nil {
		l := a.ledger()
		h.Ledger = &l
		if l.Status == api.LedgerTampered {
			h.Status = "degraded"
		}
	}
	writeJSON(w, http.StatusOK, h)
}

// signIn tells an app where people sign in to this service, so that the
// app needs only the service's address.
func (a *restAPI) signIn(w http.ResponseWriter, r *http.Request) {
	if a.signInWith.Issuer == "" {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "this service names no identity provider")
		return
	}
	writeJSON(w, http.StatusOK, a.signInWith)
}

func (a *restAPI) listServices(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := catalogue.Query{Text: v.Get("q"), Category: v.Get("category"), Country: v.Get("country")}
	if err := q.Validate(); err != nil {
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, err.Error())
		return
	}
	list, err := a.cat.SearchServices(r.Context(), q)
	if err != nil {
		a.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.ServiceList{Services: list, Count: len(list)})
}

func (a *restAPI) getService(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !catalogue.ValidID(id) {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "no service with id "+quote(id))
		return
	}
	svc, err := a.cat.Service(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "no service with id "+quote(id))
		return
	}
	if err != nil {
		a.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, svc)
}

func (a *restAPI) facets(w http.ResponseWriter, r *http.Request) {
	f, err := a.cat.Facets(r.Context())
	if err != nil {
		a.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// internal logs err and answers 500 without exposing details.
// internal answers a call that failed on the service's side: 503 with
// Retry-After when the database does not answer (the service is
// unavailable for a while, and clients say so), else 500.
func (a *restAPI) internal(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
	defer cancel()
	if a.cat != nil && a.cat.Ping(ctx) != nil {
		w.Header().Set("Retry-After", "30")
		writeError(w, http.StatusServiceUnavailable, api.CodeUnavailable, "the service's database does not answer; try again shortly")
		return
	}
	writeError(w, http.StatusInternalServerError, api.CodeInternal, "internal error; the service log has the details")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, api.ErrorBody{Error: api.Error{Code: code, Message: msg}})
}

// quote shows an id from a request safely in a message, cut to 64 bytes.
func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}
