// Package portal is the demo web portal the exchange service serves at
// /portal: the service catalogue and a page per service whose "Continue in
// the app" shows a QR code and a short code of a one-time handoff link
// (issue 14). It also answers the https form of the app's direct links,
// /open/…, for browsers where the app is not installed.
package portal

import (
	"context"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/identity"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Catalogue is what the portal shows of the service catalogue.
type Catalogue interface {
	SearchServices(ctx context.Context, q catalogue.Query) ([]catalogue.Service, error)
	Service(ctx context.Context, id string) (*catalogue.Service, error)
	Facets(ctx context.Context) (*catalogue.Facets, error)
}

// Countries tells in which member states the EU Evidence Broker knows an
// evidence type that proves a requirement: the only ones worth asking.
type Countries interface {
	EvidenceCountries(ctx context.Context, requirement string) ([]string, error)
}

// Handoffs makes the one-time links the QR codes hold.
type Handoffs interface {
	Create(ctx context.Context, subject string, in api.NewHandoff, base string) (*api.Handoff, error)
}

// Person is who is signed in on the portal.
type Person struct {
	Subject string
	Name    string
}

// People tells whose a sign-in token is. It is the portal's one seam to
// sign-in: the demo signs in with an access token; an OpenID Connect
// sign-in replaces it without touching the pages.
type People interface {
	Person(r *http.Request, token string) (Person, bool)
}

// Config is what the portal serves.
type Config struct {
	Catalogue Catalogue
	// Handoffs makes handoff links; nil hides "Continue in the app".
	Handoffs Handoffs
	// Countries narrows each piece of evidence's choice of country; nil
	// offers every country of the catalogue.
	Countries Countries
	// People signs people in; nil serves the portal signed out only.
	People People
	// SignIn is the OpenID Connect provider people sign in at, the
	// portal's redirect URI https://HOST/portal/callback registered with
	// its client; without one (no Issuer) the portal asks for an access
	// token (the service's -demo-tokens).
	SignIn identity.Provider
	// SessionKey (32 bytes) seals the session cookie, which holds the
	// provider's tokens; every process serving the portal needs the same
	// one. Nil: a random key, for this process only.
	SessionKey []byte
	// SessionIdle is how long a sign-in lasts without a page asked for;
	// then the person is signed out. Zero: 30 minutes.
	SessionIdle time.Duration
	Log         *slog.Logger
	// Location is the time zone of the times the pages give (a handoff
	// code's expiry); nil is the service's local time zone (TZ).
	Location *time.Location
}

// qrModule is the side of one QR code module, in pixels: a whole number
// (a fixed image size scales modules unevenly, which some readers fail on).
const qrModule = 8

type portal struct {
	cfg   Config
	pages map[string]*template.Template
	texts texts
	web   *webSignIn // nil: the access-token form
	seal  *sessionSeal
}

// Handler serves the portal below /portal/ and the direct links below
// /open/.
func Handler(cfg Config) http.Handler {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 30 * time.Minute
	}
	seal, err := newSessionSeal(cfg.SessionKey)
	if err != nil {
		cfg.Log.Error("portal: sessions are sealed with a key of this process only", "err", err)
		seal, _ = newSessionSeal(nil)
	}
	p := &portal{cfg: cfg, texts: loadTexts(), seal: seal}
	if cfg.SignIn.Issuer != "" && cfg.People != nil {
		p.web = &webSignIn{provider: cfg.SignIn}
	}
	p.pages = parsePages(p.texts, cfg.Location)
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /portal/static/", http.StripPrefix("/portal/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /portal", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/portal/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /portal/{$}", p.catalogue)
	mux.HandleFunc("GET /portal/services/{id}", p.service)
	mux.HandleFunc("POST /portal/services/{id}/continue", p.continueInApp)
	mux.HandleFunc("GET /portal/sign-in", p.signInPage)
	mux.HandleFunc("POST /portal/sign-in", p.signIn)
	mux.HandleFunc("GET "+callbackPath, p.callback)
	mux.HandleFunc("POST /portal/sign-out", p.signOut)
	mux.HandleFunc("GET /open/{path...}", p.open)
	mux.HandleFunc("/portal/", func(w http.ResponseWriter, r *http.Request) {
		p.problem(w, r, http.StatusNotFound, "portal.not_found", "portal.not_found_body")
	})
	return securityHeaders(withSessionState(mux))
}

func parsePages(tx texts, loc *time.Location) map[string]*template.Template {
	funcs := template.FuncMap{
		"t":       tx.text,
		"in":      func(code string, t catalogue.Text) string { return t.In(code) },
		"time":    func(t time.Time) string { return clock(t, loc) },
		"app":     appURL,
		"country": tx.countryName,
	}
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html"))
	pages := map[string]*template.Template{}
	for _, name := range []string{"catalogue", "service", "continue", "sign-in", "open", "problem"} {
		pages[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFiles, "templates/"+name+".html"))
	}
	return pages
}

// clock is the time of day of t in the zone loc (nil: the local zone),
// with the zone's name: "20:21 EET". UTC alone read two hours off in Riga.
func clock(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format("15:04 MST")
}

// pageData is what every page template gets.
type pageData struct {
	Title   string
	Person  *Person
	Problem string
	Notice  string // news that is no problem (a sign-in that ended)
	// Lang is the page's language; Languages the switch to the others.
	Lang      string
	Languages []langLink
	// Page-specific parts.
	Query      string
	Category   string
	Facets     *catalogue.Facets
	Services   []catalogue.Service
	Service    *catalogue.Service
	Choices    []evidenceChoice // one per piece of evidence the service needs
	Handoff    *api.Handoff
	QR         template.URL // data: URL of the QR code image
	Evidence   string       // the chosen evidence's name
	Country    string       // the chosen country's name
	CanHandoff bool
	AppLink    string
	Portal     string // the portal page of an /open/ link, if any
	// Here is the page's path, where Sign in comes back to (GET pages).
	Here string
}

// keepLanguage keeps the language chosen with the switch (?lang=) in a
// cookie for the next pages.
func keepLanguage(w http.ResponseWriter, r *http.Request) {
	if chosen := r.URL.Query().Get("lang"); chosen != "" && chosen == language(r) {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: chosen, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	}
}

type country struct{ Code, Name string }

// evidenceChoice is one piece of evidence a service needs, with the
// countries it can be asked for in and the one chosen to begin with.
type evidenceChoice struct {
	Evidence  catalogue.Evidence
	Countries []country
	Chosen    string
}

// chooseCountries chooses, for each piece of evidence, the country of the
// person signed in (that of their eID) where it can be asked for there,
// else the service's country.
func (d *pageData) chooseCountries() {
	home := ""
	if d.Person != nil {
		home = catalogue.CountryOfEID(d.Person.Subject)
	}
	for i, c := range d.Choices {
		d.Choices[i].Chosen = d.Service.Country
		if slices.ContainsFunc(c.Countries, func(o country) bool { return o.Code == home }) {
			d.Choices[i].Chosen = home
		}
	}
}

func (p *portal) render(w http.ResponseWriter, r *http.Request, status int, page string, d pageData) {
	if person, ok, ended := p.session(w, r); ok {
		d.Person = &person
	} else if ended != "" { // said once: the session is forgotten
		d.Notice = p.t(r, ended)
	}
	if _, err := r.Cookie(sessionCookie); err == nil {
		// Made for a signed-in person: not kept by the browser, whose
		// Back would show it again after a sign-out.
		w.Header().Set("Cache-Control", "no-store")
	}
	d.chooseCountries()
	d.Lang = language(r)
	d.Languages = switchLinks(r, d.Lang)
	keepLanguage(w, r)
	if r.Method == http.MethodGet {
		d.Here = r.URL.Path
	}
	var b strings.Builder
	if err := p.pages[page].ExecuteTemplate(&b, "layout.html", d); err != nil {
		p.cfg.Log.Error("portal: page", "page", page, "err", err)
		http.Error(w, "internal error; the service log has the details", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", d.Lang)
	w.Header().Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

// problem shows a problem page: the texts of keys title and msg, and
// what follows msg (an error's own words).
func (p *portal) problem(w http.ResponseWriter, r *http.Request, status int, title, msg string, more ...string) {
	p.render(w, r, status, "problem", pageData{Title: p.t(r, title), Problem: strings.Join(append([]string{p.t(r, msg)}, more...), " ")})
}

// t is key in the language of the page r asks for.
func (p *portal) t(r *http.Request, key string, args ...any) string {
	return p.texts.text(language(r), key, args...)
}

func (p *portal) internal(w http.ResponseWriter, r *http.Request, err error) {
	p.cfg.Log.Error("portal: request failed", "path", r.URL.Path, "err", err)
	p.problem(w, r, http.StatusInternalServerError, "portal.failed", "portal.failed_body")
}

func (p *portal) catalogue(w http.ResponseWriter, r *http.Request) {
	q := catalogue.Query{Text: r.URL.Query().Get("q"), Category: r.URL.Query().Get("category")}
	if err := q.Validate(); err != nil {
		p.problem(w, r, http.StatusBadRequest, "portal.bad_search", "portal.bad_search_body", err.Error())
		return
	}
	list, err := p.cfg.Catalogue.SearchServices(r.Context(), q)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	facets, err := p.cfg.Catalogue.Facets(r.Context())
	if err != nil {
		p.internal(w, r, err)
		return
	}
	p.render(w, r, http.StatusOK, "catalogue", pageData{Title: p.t(r, "portal.services_title"), Query: q.Text, Category: q.Category, Facets: facets, Services: list})
}

// lookUp returns the service of the page's {id}, or answers 404.
func (p *portal) lookUp(w http.ResponseWriter, r *http.Request) (*catalogue.Service, bool) {
	id := r.PathValue("id")
	var svc *catalogue.Service
	err := errors.New("no such id")
	if catalogue.ValidID(id) {
		svc, err = p.cfg.Catalogue.Service(r.Context(), id)
	}
	if err != nil {
		p.problem(w, r, http.StatusNotFound, "portal.no_service", "portal.no_service_body")
		return nil, false
	}
	return svc, true
}

func (p *portal) service(w http.ResponseWriter, r *http.Request) {
	svc, ok := p.lookUp(w, r)
	if !ok {
		return
	}
	p.render(w, r, http.StatusOK, "service", p.serviceData(r, svc, ""))
}

func (p *portal) serviceData(r *http.Request, svc *catalogue.Service, problem string) pageData {
	d := pageData{Title: svc.Name.In(language(r)), Service: svc, CanHandoff: p.cfg.Handoffs != nil, Problem: problem, AppLink: "vienreiz://services/" + svc.ID}
	if !d.CanHandoff {
		return d
	}
	for _, e := range svc.Evidence {
		choice := evidenceChoice{Evidence: e}
		choice.Countries = p.countries(r, p.evidenceCountries(r, e.Requirement))
		d.Choices = append(d.Choices, choice)
	}
	return d
}

// evidenceCountries lists the countries requirement can be asked for in:
// those the Evidence Broker knows it in or, when it cannot be asked (or
// no Countries is set), every country of the catalogue; the request then
// finds out when it starts.
func (p *portal) evidenceCountries(r *http.Request, requirement string) []string {
	if p.cfg.Countries != nil {
		list, err := p.cfg.Countries.EvidenceCountries(r.Context(), requirement)
		if err == nil {
			return list
		}
		p.cfg.Log.Warn("portal: the Evidence Broker did not say where the evidence is held; every country is offered", "requirement", requirement, "err", err)
	}
	f, err := p.cfg.Catalogue.Facets(r.Context())
	if err != nil {
		return nil
	}
	return f.Countries
}

// countries names codes in the page's language, in the order of their
// names there.
func (p *portal) countries(r *http.Request, codes []string) []country {
	out := make([]country, len(codes))
	for i, c := range codes {
		out[i] = country{Code: c, Name: p.countryName(r, c)}
	}
	slices.SortStableFunc(out, func(a, b country) int { return strings.Compare(catalogue.Fold(a.Name), catalogue.Fold(b.Name)) })
	return out
}

// countryName names an ISO country code in the page's language.
func (p *portal) countryName(r *http.Request, code string) string {
	return p.texts.countryName(language(r), code)
}

// continueInApp makes a handoff for the chosen evidence and country and
// shows its QR code and short code.
func (p *portal) continueInApp(w http.ResponseWriter, r *http.Request) {
	svc, ok := p.lookUp(w, r)
	if !ok {
		return
	}
	if p.cfg.Handoffs == nil {
		p.problem(w, r, http.StatusNotFound, "portal.no_handoff", "portal.no_handoff_body")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	requirement, countryCode := r.PostFormValue("evidence"), r.PostFormValue("country")
	var evidence string
	for _, e := range svc.Evidence {
		if e.Requirement == requirement {
			evidence = e.Name.In(language(r))
		}
	}
	if evidence == "" || countryCode == "" {
		p.render(w, r, http.StatusBadRequest, "service", p.serviceData(r, svc, p.t(r, "portal.choose")))
		return
	}
	if codes := p.evidenceCountries(r, requirement); !slices.Contains(codes, countryCode) {
		var names []string
		for _, c := range p.countries(r, codes) {
			names = append(names, c.Name)
		}
		p.render(w, r, http.StatusBadRequest, "service", p.serviceData(r, svc, p.t(r, "portal.not_held_there",
			"Evidence", evidence, "Country", p.countryName(r, countryCode), "Countries", strings.Join(names, ", "))))
		return
	}
	var subject string
	if person, ok, _ := p.session(w, r); ok {
		subject = person.Subject
	}
	h, err := p.cfg.Handoffs.Create(r.Context(), subject, api.NewHandoff{ServiceID: svc.ID, Requirement: requirement, Country: countryCode}, baseURL(r))
	if err != nil {
		p.render(w, r, http.StatusBadRequest, "service", p.serviceData(r, svc, p.t(r, "portal.handoff_failed")+" "+err.Error()))
		return
	}
	png, err := qrcode.Encode(h.Link, qrcode.Medium, -qrModule)
	if err != nil {
		p.internal(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, r, http.StatusOK, "continue", pageData{
		Title: p.t(r, "portal.continue_title", "Service", svc.Name.In(language(r))), Service: svc, Handoff: h,
		QR:       template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		Evidence: evidence, Country: p.countryName(r, countryCode),
	})
}

// signInPage sends the browser to the identity provider or, without one,
// asks for an access token.
func (p *portal) signInPage(w http.ResponseWriter, r *http.Request) {
	if p.web != nil {
		p.startSignIn(w, r)
		return
	}
	p.render(w, r, http.StatusOK, "sign-in", pageData{Title: p.t(r, "portal.sign_in")})
}

func (p *portal) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	token := strings.TrimSpace(r.PostFormValue("token"))
	if p.cfg.People == nil {
		p.problem(w, r, http.StatusNotFound, "portal.no_sign_in", "portal.no_sign_in_body")
		return
	}
	if _, ok := p.cfg.People.Person(r, token); !ok {
		p.render(w, r, http.StatusUnauthorized, "sign-in", pageData{Title: p.t(r, "portal.sign_in"), Problem: p.t(r, "portal.unknown_token")})
		return
	}
	p.setSession(w, r, sessionTokens{Access: token})
	http.Redirect(w, r, "/portal/", http.StatusSeeOther)
}

// signOut forgets the portal's session and revokes its refresh token at
// the provider, so that a copy of the cookie renews nothing.
func (p *portal) signOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if t, ok := p.seal.open(c.Value); ok && t.Refresh != "" {
			p.revoke(r.Context(), t.Refresh)
		}
	}
	clearSession(w)
	http.Redirect(w, r, "/portal/", http.StatusSeeOther)
}

// open answers an https direct link in a browser: a page that opens the
// app (vienreiz://…) and, for a service, leads to its portal page.
func (p *portal) open(w http.ResponseWriter, r *http.Request) {
	path := r.PathValue("path")
	d := pageData{Title: p.t(r, "portal.open_title"), AppLink: "vienreiz://" + path}
	if id, ok := strings.CutPrefix(path, "services/"); ok && catalogue.ValidID(id) {
		d.Portal = "/portal/services/" + url.PathEscape(id)
	}
	p.render(w, r, http.StatusOK, "open", d)
}

// appURL lets a vienreiz:// link (which html/template would otherwise
// blank out as an unknown scheme) into an href; anything else becomes "#".
func appURL(link string) template.URL {
	if rest, ok := strings.CutPrefix(link, "vienreiz://"); ok && !strings.ContainsAny(rest, "\"<>'` ") {
		return template.URL(link)
	}
	return "#"
}

// baseURL is the scheme and host the browser reached the portal at.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// securityHeaders keeps the pages from being framed, sniffed or made to
// run scripts from elsewhere.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}
