package requester

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestRetryOnCallbackError: a flagged delivery turns the receiver's answer
// into a 503 without an ebMS signal; unflagged answers pass unchanged.
func TestRetryOnCallbackError(t *testing.T) {
	for _, tt := range []struct {
		name       string
		flag       bool
		status     int
		wantStatus int
		wantBody   string
	}{
		{"receipt passes", false, http.StatusOK, http.StatusOK, "<receipt/>"},
		{"busy passes", false, http.StatusServiceUnavailable, http.StatusServiceUnavailable, "<receipt/>"},
		{"callback failure becomes 503", true, http.StatusOK, http.StatusServiceUnavailable, "answer not taken yet; send it again\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := retryOnCallbackError(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.flag {
					markRetry(r.Context())
				}
				w.Header().Set("Content-Type", "application/soap+xml")
				w.WriteHeader(tt.status)
				w.Write([]byte("<receipt/>"))
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/as4", nil))
			if rec.Code != tt.wantStatus || rec.Body.String() != tt.wantBody {
				t.Fatalf("status %d body %q; want %d %q", rec.Code, rec.Body.String(), tt.wantStatus, tt.wantBody)
			}
			if tt.flag && rec.Header().Get("Content-Type") == "application/soap+xml" {
				t.Error("the retry answer must not look like a SOAP signal")
			}
		})
	}
}
