package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
)

// downStore is a catalogue whose database does not answer.
type downStore struct{}

var errDown = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (downStore) SearchServices(context.Context, catalogue.Query) ([]catalogue.Service, error) {
	return nil, errDown
}
func (downStore) Service(context.Context, string) (*catalogue.Service, error) { return nil, errDown }
func (downStore) Facets(context.Context) (*catalogue.Facets, error)           { return nil, errDown }
func (downStore) Ping(context.Context) error                                  { return errDown }

// TestDatabaseDownAnswers503 (defect 4): with the database down the
// service answered 500 "internal error"; it is unavailable for a while,
// which 503 with Retry-After says, so clients can tell the user to retry.
func TestDatabaseDownAnswers503(t *testing.T) {
	h := NewHandler(HandlerConfig{Catalogue: downStore{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, path := range []string{"/v1/services", "/v1/services/lv-ehic", "/v1/facets"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("GET %s with the database down: %d, want 503", path, rec.Code)
			continue
		}
		if rec.Header().Get("Retry-After") == "" {
			t.Errorf("GET %s: 503 without Retry-After", path)
		}
		var body api.ErrorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != api.CodeUnavailable {
			t.Errorf("GET %s: body %s, want code %q", path, rec.Body.String(), api.CodeUnavailable)
		}
	}
}
