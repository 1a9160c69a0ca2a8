// Package client is the Go SDK of the exchange service REST API. The app,
// tests and tools use it; nothing outside oots/exchange speaks the API's
// HTTP directly.
package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/identity"
)

// DefaultTimeout bounds each call unless the context ends sooner.
const DefaultTimeout = 15 * time.Second

// ErrNotFound is wrapped by errors for a 404 answer.
var ErrNotFound = errors.New("not found")

// ErrSignedOut is wrapped by the errors of calls not made because the
// client's token function had no token: nobody is signed in, or the
// session has ended.
var ErrSignedOut = errors.New("not signed in")

// ErrUnavailable is wrapped by errors when the service cannot be reached.
var ErrUnavailable = errors.New("exchange service unavailable")

// APIError is an error answer of the service.
type APIError struct {
	Status  int
	Code    string
	Message string
	// LevelOfAssurance is the level to sign in again at, with the code
	// api.CodeLevelTooLow.
	LevelOfAssurance string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("exchange service: %s (%d %s)", e.Message, e.Status, e.Code)
}

// Is makes errors.Is(err, ErrNotFound) true for 404 answers, and
// errors.Is(err, ErrUnavailable) for 503 (the service is up but cannot
// answer for a while, e.g. its database is down).
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrUnavailable:
		return e.Status == http.StatusServiceUnavailable
	}
	return false
}

// SetLanguage asks the service for texts in language (ISO 639-1, e.g.
// "lv") where it can give them, such as a provider's preview; it sends
// Accept-Language with every call.
func (c *Client) SetLanguage(code string) { c.r.SetHeader("Accept-Language", code) }

// Client calls one exchange service.
type Client struct {
	r       *resty.Client
	baseURL string
	// token returns the bearer token of each call; nil calls anonymously.
	token func() (string, error)
}

// New returns a client for the service at baseURL, e.g. http://127.0.0.1:8080.
func New(baseURL string) *Client {
	r := resty.New().
		SetBaseURL(baseURL).
		SetTimeout(DefaultTimeout).
		SetHeader("Accept", "application/json").
		SetError(&api.ErrorBody{})
	return &Client{r: r, baseURL: baseURL}
}

// Services searches the catalogue.
func (c *Client) Services(ctx context.Context, q catalogue.Query) ([]catalogue.Service, error) {
	params := url.Values{}
	for k, v := range map[string]string{"q": q.Text, "category": q.Category, "country": q.Country} {
		if v != "" {
			params.Set(k, v)
		}
	}
	var out api.ServiceList
	if err := c.get(ctx, "/v1/services", params, &out); err != nil {
		return nil, err
	}
	return out.Services, nil
}

// Service returns one catalogue service; the error wraps ErrNotFound for an
// unknown id.
func (c *Client) Service(ctx context.Context, id string) (*catalogue.Service, error) {
	var out catalogue.Service
	if err := c.get(ctx, "/v1/services/"+url.PathEscape(id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Facets returns the categories and countries a search can be filtered by.
func (c *Client) Facets(ctx context.Context) (*catalogue.Facets, error) {
	var out catalogue.Facets
	if err := c.get(ctx, "/v1/facets", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// WithToken returns a client that calls as the person the bearer token
// belongs to; the evidence-request calls need one.
func (c *Client) WithToken(token string) *Client {
	return c.WithTokenFunc(func() (string, error) { return token, nil })
}

// WithTokenFunc returns a client that asks token for the bearer token of
// every call, so a signed-in session can refresh it when it expires. An
// empty token makes the call anonymously (the catalogue needs nobody);
// when token fails, the call is not made and its error wraps ErrSignedOut,
// or ErrUnavailable when token's does (a sign-in provider out of reach).
func (c *Client) WithTokenFunc(token func() (string, error)) *Client {
	return &Client{r: c.r.Clone(), baseURL: c.baseURL, token: token}
}

// authorization is the Authorization header value of a call: "" for an
// anonymous client.
func (c *Client) authorization() (string, error) {
	if c.token == nil {
		return "", nil
	}
	t, err := c.token()
	if errors.Is(err, ErrUnavailable) { // no token for now, the sign-in stands
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrSignedOut, err)
	}
	if t == "" {
		return "", nil
	}
	return "Bearer " + t, nil
}

// request starts a resty request with the caller's token.
func (c *Client) request(ctx context.Context) (*resty.Request, error) {
	req := c.r.R().SetContext(ctx)
	auth, err := c.authorization()
	if auth != "" {
		req.SetHeader("Authorization", auth)
	}
	return req, err
}

// CreateRequest starts an evidence request; the answer is the request
// after its directory look-up.
func (c *Client) CreateRequest(ctx context.Context, in api.NewRequest) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests", in, &out)
}

// Requests lists the caller's requests, newest first.
func (c *Client) Requests(ctx context.Context) ([]api.Request, error) {
	var out api.RequestList
	if err := c.get(ctx, "/v1/requests", nil, &out); err != nil {
		return nil, err
	}
	return out.Requests, nil
}

// DeskQueue is a clerk's queue: their institution's applications (GET
// /v1/desk).
func (c *Client) DeskQueue(ctx context.Context) ([]api.Request, error) {
	var out api.RequestList
	if err := c.get(ctx, "/v1/desk", nil, &out); err != nil {
		return nil, err
	}
	return out.Requests, nil
}

// Documents lists the caller's delivered evidence documents, newest
// first; Evidence downloads one.
func (c *Client) Documents(ctx context.Context) ([]api.Document, error) {
	var out api.DocumentList
	if err := c.get(ctx, "/v1/evidence", nil, &out); err != nil {
		return nil, err
	}
	return out.Documents, nil
}

// EvidenceCountries returns the member states in which the Evidence
// Broker knows evidence for requirement: the countries worth asking.
func (c *Client) EvidenceCountries(ctx context.Context, requirement string) ([]string, error) {
	var out api.CountryList
	if err := c.get(ctx, "/v1/evidence-countries", url.Values{"requirement": {requirement}}, &out); err != nil {
		return nil, err
	}
	return out.Countries, nil
}

// Request returns one of the caller's requests with its timeline.
func (c *Client) Request(ctx context.Context, id string) (*api.Request, error) {
	var out api.Request
	return &out, c.get(ctx, "/v1/requests/"+url.PathEscape(id), nil, &out)
}

// GiveAttributes answers the directory's questions of a request.
func (c *Client) GiveAttributes(ctx context.Context, id string, values map[string]string) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/attributes", api.Attributes{Values: values}, &out)
}

// GiveExplicitRequest confirms a request (who asks what from whom, on
// which legal basis).
func (c *Client) GiveExplicitRequest(ctx context.Context, id string) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/explicit-request", nil, &out)
}

// RetryRequest looks the provider up again for a request whose look-up
// failed before anything was sent; values, when not empty, answer the
// directory's questions again.
func (c *Client) RetryRequest(ctx context.Context, id string, values map[string]string) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/retry", api.Attributes{Values: values}, &out)
}

// CancelRequest withdraws an open request.
func (c *Client) CancelRequest(ctx context.Context, id string) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/cancel", nil, &out)
}

// OpenPreview fetches the previewed evidence of a request (once, from the
// provider's preview space) and returns the request with it.
func (c *Client) OpenPreview(ctx context.Context, id string) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/preview", nil, &out)
}

// DecidePreview approves ("approve") or refuses ("refuse") the previewed
// evidence.
func (c *Client) DecidePreview(ctx context.Context, id, decision string) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/preview/decision", api.Decision{Decision: decision}, &out)
}

// PreviewReturned tells the service the citizen came back from the
// provider's preview space (Request.PreviewURL, opened in the browser):
// the service sends the second request, which the provider answers with
// the evidence or the refusal.
func (c *Client) PreviewReturned(ctx context.Context, id string) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/preview/returned", nil, &out)
}

// PostStatus posts a clerk's status message about the application a
// request serves (status register, P8); the answer is the request with
// the message on its timeline. A citizen's call gets a 403 *APIError.
func (c *Client) PostStatus(ctx context.Context, id, message string) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/status", api.StatusChange{Message: message}, &out)
}

// Health reports whether the service and its database answer.
func (c *Client) Health(ctx context.Context) (*api.Health, error) {
	var out api.Health
	if err := c.get(ctx, "/v1/health", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SignIn asks the service where people sign in to it (GET /v1/sign-in).
func (c *Client) SignIn(ctx context.Context) (identity.Provider, error) {
	var out identity.Provider
	err := c.get(ctx, "/v1/sign-in", nil, &out)
	return out, err
}

func (c *Client) get(ctx context.Context, path string, params url.Values, out any) error {
	req, err := c.request(ctx)
	if err != nil {
		return err
	}
	resp, err := req.SetQueryParamsFromValues(params).SetResult(out).Get(path)
	return answer(ctx, resp, err, http.MethodGet, path)
}

func (c *Client) send(ctx context.Context, method, path string, body, out any) error {
	req, err := c.request(ctx)
	if err != nil {
		return err
	}
	req.SetResult(out)
	if body != nil {
		req.SetBody(body)
	}
	resp, err := req.Execute(method, path)
	return answer(ctx, resp, err, method, path)
}

// answer turns a resty result into nil or an error: ErrUnavailable when
// the service was not reached (see unreached), *APIError for an error
// answer.
func answer(ctx context.Context, resp *resty.Response, err error, method, path string) error {
	if err != nil {
		return unreached(ctx, method+" "+path, err)
	}
	if resp.IsError() {
		body, _ := resp.Error().(*api.ErrorBody)
		return newAPIError(resp.StatusCode(), resp.Status(), body)
	}
	return nil
}

// unreached is the error of call, which got no answer: it wraps
// ErrUnavailable, unless its caller called it off (ctx cancelled), which
// says nothing of the service (the app's inbox reconnecting for a new
// sign-in showed "the service cannot be reached" for a moment).
func unreached(ctx context.Context, call string, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("%s: called off: %w", call, ctx.Err())
	}
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, call, err)
}

// newAPIError is the *APIError of an error answer with status and, when
// the service sent one, its JSON error body.
func newAPIError(status int, statusText string, body *api.ErrorBody) *APIError {
	apiErr := &APIError{Status: status, Code: "http_" + statusText, Message: statusText}
	if body != nil && body.Error.Code != "" {
		apiErr.Code, apiErr.Message, apiErr.LevelOfAssurance = body.Error.Code, body.Error.Message, body.Error.LevelOfAssurance
	}
	return apiErr
}

// ArchiveRequest puts an ended request away; it stays, marked archived.
// An open request is a 409 *APIError (cancel it first).
func (c *Client) ArchiveRequest(ctx context.Context, id string) (*api.Request, error) {
	var out api.Request
	return &out, c.send(ctx, http.MethodPost, "/v1/requests/"+url.PathEscape(id)+"/archive", nil, &out)
}
