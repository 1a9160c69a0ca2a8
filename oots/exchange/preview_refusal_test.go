package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
)

// TestPreviewSpaceRefusalOrOutageIsNotAnInternalError: the provider's
// preview space refuses (403 "for another person"), fails (500) or is
// down when the citizen opens the preview. Each reached the app as 500
// "internal error"; now a refusal is 502 provider_refused with the
// provider's words, and an outage 502 provider_unavailable with
// Retry-After, and the request still waits for its preview.
func TestPreviewSpaceRefusalOrOutageIsNotAnInternalError(t *testing.T) {
	cases := []struct {
		name, code, words string
		space             http.HandlerFunc
	}{
		{"refused", api.CodeProviderRefused, "This preview is for another person",
			func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusForbidden)
				w.Write([]byte(`{"message":"This preview is for another person"}`))
			}},
		{"failed", api.CodeProviderUnavailable, "does not answer",
			func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "database down", http.StatusInternalServerError)
			}},
		{"down", api.CodeProviderUnavailable, "does not answer", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
			space := httptest.NewTLSServer(c.space)
			q, who, id := explicitRequestStored(t, &now, &acceptingTransport{}, func(c *RequestsConfig) { c.Preview = space.Client() })
			if c.space == nil {
				space.Close() // nothing listens any more
			} else {
				defer space.Close()
			}
			rec, doc, err := q.load(ctx, who, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range []lifecycle.Event{{Kind: lifecycle.QuerySent}, {Kind: lifecycle.PreviewRequested, PreviewLocation: space.URL + "/preview/1"}} {
				if _, err := q.apply(ctx, serviceActor, rec, doc, e, ""); err != nil {
					t.Fatal(err)
				}
			}
			_, err = q.Preview(ctx, who, id, "en")
			if err == nil {
				t.Fatal("the preview opened")
			}
			w := httptest.NewRecorder()
			a := &restAPI{log: q.log}
			a.answer(w, httptest.NewRequest(http.MethodPost, "/v1/requests/"+id+"/preview", nil), http.StatusOK, nil, err)
			var body api.ErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != http.StatusBadGateway || body.Error.Code != c.code || !strings.Contains(body.Error.Message, c.words) {
				t.Fatalf("answer %d %+v; want 502 %s saying %q", w.Code, body.Error, c.code, c.words)
			}
			if c.code == api.CodeProviderUnavailable && w.Header().Get("Retry-After") == "" {
				t.Fatal("no Retry-After for an outage")
			}
			var refusal *ProviderRefusal
			if (c.code == api.CodeProviderRefused) != errors.As(err, &refusal) {
				t.Fatalf("error %v", err)
			}
			if r, _ := q.Get(ctx, who, id); r.State != "preview_required" || r.Preview != nil {
				t.Fatalf("after the failed call the request is %s with preview %v", r.State, r.Preview)
			}
		})
	}
}

func FuzzRefusalMessage(f *testing.F) {
	f.Add([]byte(`{"message":"This preview is for another person"}`))
	f.Add([]byte(`{"error":{"message":"gone"}}`))
	f.Add([]byte("plain\n\ttext \xff"))
	f.Fuzz(func(t *testing.T, body []byte) {
		m := refusalMessage(body)
		if len(m) > 200 || strings.ContainsAny(m, "\n\r\t") || !utf8.ValidString(m) {
			t.Fatalf("message %q", m)
		}
	})
}
