package exchange

import (
	"context"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// statusRecorder remembers the status code written by a handler.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logged logs each request at debug level (errors at warn) and turns a
// panic into a 500 answer instead of a dropped connection.
func (a *restAPI) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				a.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				writeError(rec, http.StatusInternalServerError, api.CodeInternal, "internal error; the service log has the details")
			}
			level := a.log.Debug
			if rec.status >= 500 {
				level = a.log.Warn
			}
			level("http", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

// changeTimeout bounds a change that goes on after its caller stopped
// waiting (carriedThrough).
const changeTimeout = 2 * time.Minute

// carriedThrough carries a change (any method but GET and HEAD) out whole
// even when its caller stops waiting for the answer: a person who gave up
// waiting on a slow network did not take back the approval they sent, and
// a change cut off halfway may have reached a provider (its preview space
// recording an approval) without being recorded here. The app learns the
// outcome from the event stream. Reading ends with its caller.
func carriedThrough(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), changeTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
