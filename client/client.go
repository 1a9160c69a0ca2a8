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

	"github.com/vienreiz/vienreiz/oots/catalogue"
	"github.com/vienreiz/vienreiz/oots/exchange/api"
)

// DefaultTimeout bounds each call unless the context ends sooner.
const DefaultTimeout = 15 * time.Second

// ErrNotFound is wrapped by errors for a 404 answer.
var ErrNotFound = errors.New("not found")

// ErrUnavailable is wrapped by errors when the service cannot be reached.
var ErrUnavailable = errors.New("exchange service unavailable")

// APIError is an error answer of the service.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("exchange service: %s (%d %s)", e.Message, e.Status, e.Code)
}

// Is makes errors.Is(err, ErrNotFound) true for 404 answers.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.Status == http.StatusNotFound
}

// Client calls one exchange service.
type Client struct {
	r *resty.Client
}

// New returns a client for the service at baseURL, e.g. http://127.0.0.1:8080.
func New(baseURL string) *Client {
	r := resty.New().
		SetBaseURL(baseURL).
		SetTimeout(DefaultTimeout).
		SetHeader("Accept", "application/json").
		SetError(&api.ErrorBody{})
	return &Client{r: r}
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

// Health reports whether the service and its database answer.
func (c *Client) Health(ctx context.Context) (*api.Health, error) {
	var out api.Health
	if err := c.get(ctx, "/v1/health", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *Client) get(ctx context.Context, path string, params url.Values, out any) error {
	resp, err := c.r.R().SetContext(ctx).SetQueryParamsFromValues(params).SetResult(out).Get(path)
	if err != nil {
		return fmt.Errorf("%w: GET %s: %w", ErrUnavailable, path, err)
	}
	if resp.IsError() {
		apiErr := &APIError{Status: resp.StatusCode(), Code: "http_" + resp.Status(), Message: resp.Status()}
		if body, ok := resp.Error().(*api.ErrorBody); ok && body.Error.Code != "" {
			apiErr.Code, apiErr.Message = body.Error.Code, body.Error.Message
		}
		return apiErr
	}
	return nil
}
