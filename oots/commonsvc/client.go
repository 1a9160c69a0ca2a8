package commonsvc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// DefaultTimeout bounds one look-up when Client.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// DefaultMaxAnswer is the largest answer accepted when
// Client.MaxAnswerBytes is zero (the EC's full requirements catalogue is
// about 0.6 MiB).
const DefaultMaxAnswer = 8 << 20

// Client runs OOTS common-service look-ups. The zero value is not usable:
// set EBURL and DSDURL. A Client is safe for concurrent use.
type Client struct {
	// EBURL and DSDURL are the query endpoints, e.g.
	// "https://host/query/eb/rest/search"; query parameters are added.
	EBURL  string
	DSDURL string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
	// Timeout bounds each look-up (connect, send, read); 0 = DefaultTimeout.
	Timeout time.Duration
	// MaxAnswerBytes rejects larger answers; 0 = DefaultMaxAnswer.
	MaxAnswerBytes int64
	// Cache, when set, keeps answers and makes concurrent identical
	// look-ups share one request (see Cache).
	Cache *Cache
	// Logger receives one debug line per look-up; nil = no logs.
	Logger *slog.Logger
	// Preview, when set, fills DataService.Preview, which DSD answers do
	// not carry (a *Directory knows it for the demo providers).
	Preview PreviewSource
}

// PreviewSource tells whether the provider behind an access service
// supports evidence preview.
type PreviewSource interface {
	PreviewOf(partyURN string) PreviewSupport
}

// Requirements runs the EB "Get List of Requirements" query.
func (c *Client) Requirements(ctx context.Context, q RequirementsQuery) ([]Requirement, error) {
	v, err := c.lookup(ctx, EvidenceBroker, c.EBURL, q.Values(), func(b []byte) (any, error) { return ParseRequirements(b) })
	reqs, _ := v.([]Requirement)
	return reqs, err
}

// EvidenceTypes runs the EB "Get Evidence Types for Requirement" query.
func (c *Client) EvidenceTypes(ctx context.Context, q EvidenceTypesQuery) ([]Requirement, error) {
	v, err := c.lookup(ctx, EvidenceBroker, c.EBURL, q.Values(), func(b []byte) (any, error) { return ParseEvidenceTypes(b) })
	reqs, _ := v.([]Requirement)
	return reqs, err
}

// DataServices runs the DSD "Find Data Services" query. An
// *AttributesRequiredError says which user attributes to add to q.
func (c *Client) DataServices(ctx context.Context, q DataServicesQuery) ([]DataServiceEvidenceType, error) {
	v, err := c.lookup(ctx, DataServiceDirectory, c.DSDURL, q.Values(), func(b []byte) (any, error) {
		ts, err := ParseDataServices(b)
		if c.Preview != nil {
			for i := range ts {
				for j := range ts[i].Services {
					s := &ts[i].Services[j]
					s.Preview = c.Preview.PreviewOf(s.PartyID.URN())
				}
			}
		}
		return ts, err
	})
	ts, _ := v.([]DataServiceEvidenceType)
	return ts, err
}

// lookup fetches endpoint with params, parses the answer with parse, and
// caches answers and service error answers.
func (c *Client) lookup(ctx context.Context, svc Service, endpoint string, params url.Values, parse func([]byte) (any, error)) (any, error) {
	u, err := url.Parse(endpoint)
	if err != nil || endpoint == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%s endpoint %q: not an http(s) URL", svc, endpoint)
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	full := u.String()
	if c.Cache == nil {
		return c.fetchAndParse(ctx, svc, full, parse)
	}
	cached, hit, f, leader := c.Cache.join(full)
	if hit {
		c.log(ctx, svc, full, "cache", cached.err)
		return cached.value, cached.err
	}
	if !leader {
		select {
		case <-f.done:
			c.log(ctx, svc, full, "shared", f.answer.err)
			return f.answer.value, f.answer.err
		case <-ctx.Done():
			return nil, &UnavailableError{Service: svc, URL: full, Err: ctx.Err()}
		}
	}
	v, err := c.fetchAndParse(ctx, svc, full, parse)
	c.Cache.land(full, f, answerOf{v, err})
	return v, err
}

// fetchAndParse asks the service and parses its answer; service answers
// (results and EB/DSD error answers) go into the cache.
func (c *Client) fetchAndParse(ctx context.Context, svc Service, full string, parse func([]byte) (any, error)) (any, error) {
	body, status, err := c.fetch(ctx, svc, full)
	if err != nil {
		c.log(ctx, svc, full, "network", err)
		return nil, err
	}
	v, err := parse(body)
	var qe *QueryError
	var ae *AttributesRequiredError
	switch {
	case errors.As(err, &qe):
		qe.Service, qe.URL = svc, full
	case errors.As(err, &ae):
		ae.URL = full
	case err != nil:
		err = &AnswerError{Service: svc, URL: full, StatusCode: status, Err: err}
		c.log(ctx, svc, full, "network", err)
		return nil, err
	}
	if c.Cache != nil {
		c.Cache.put(full, answerOf{v, err}, int64(len(body)))
	}
	c.log(ctx, svc, full, "network", err)
	return v, err
}

// fetch GETs rawURL and returns the body of an answer that may hold a
// RegRep query response (HTTP 200 or 4xx).
func (c *Client) fetch(ctx context.Context, svc Service, rawURL string) ([]byte, int, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("%s request %s: %w", svc, rawURL, err)
	}
	req.Header.Set("Accept", "application/xml")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, 0, &UnavailableError{Service: svc, URL: rawURL, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 500 {
		return nil, resp.StatusCode, &UnavailableError{Service: svc, URL: rawURL, StatusCode: resp.StatusCode}
	}
	if resp.StatusCode != http.StatusOK && (resp.StatusCode < 400 || resp.StatusCode > 499) {
		return nil, resp.StatusCode, &AnswerError{Service: svc, URL: rawURL, StatusCode: resp.StatusCode, Err: fmt.Errorf("unexpected HTTP status %s", resp.Status)}
	}
	limit := c.MaxAnswerBytes
	if limit <= 0 {
		limit = DefaultMaxAnswer
	}
	if resp.ContentLength > limit {
		return nil, resp.StatusCode, &AnswerError{Service: svc, URL: rawURL, StatusCode: resp.StatusCode, Err: fmt.Errorf("%w: Content-Length %d > %d", xmlsafe.ErrTooLarge, resp.ContentLength, limit)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, resp.StatusCode, &UnavailableError{Service: svc, URL: rawURL, Err: fmt.Errorf("reading answer: %w", ctx.Err())}
		}
		return nil, resp.StatusCode, &UnavailableError{Service: svc, URL: rawURL, Err: fmt.Errorf("reading answer: %w", err)}
	}
	if int64(len(body)) > limit {
		return nil, resp.StatusCode, &AnswerError{Service: svc, URL: rawURL, StatusCode: resp.StatusCode, Err: fmt.Errorf("%w: more than %d bytes", xmlsafe.ErrTooLarge, limit)}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "xml") {
		return nil, resp.StatusCode, &AnswerError{Service: svc, URL: rawURL, StatusCode: resp.StatusCode, Err: fmt.Errorf("content type %q is not XML", ct)}
	}
	return body, resp.StatusCode, nil
}

func (c *Client) log(ctx context.Context, svc Service, u, from string, err error) {
	if c.Logger == nil {
		return
	}
	code := CodeOf(err)
	c.Logger.DebugContext(ctx, "common services look-up", "service", string(svc), "url", u, "from", from, "code", string(code), "err", err)
}
