package requester

import (
	"bytes"
	"context"
	"net/http"
	"sync/atomic"
)

// retryKey is the context key of the per-request retry flag.
type retryKey struct{}

// retryFlag is set when the delivery of one HTTP request failed on our
// side and the sender should try again.
type retryFlag = atomic.Bool

// withRetryFlag returns ctx carrying f for markRetry.
func withRetryFlag(ctx context.Context, f *retryFlag) context.Context {
	return context.WithValue(ctx, retryKey{}, f)
}

// markRetry flags the HTTP request of ctx for a retry answer.
func markRetry(ctx context.Context) {
	if f, ok := ctx.Value(retryKey{}).(*retryFlag); ok {
		f.Store(true)
	}
}

// retryOnCallbackError wraps an as4.Receiver: when the delivery failed on
// our side (markRetry), the EBMS:0202 error signal the Receiver wrote is
// replaced by HTTP 503 without a signal, which as4.Sender treats as
// transient (failover and retry) rather than final. Other answers (the
// receipt, errors about the message itself) pass through unchanged.
// Answers are small signals, so buffering them costs little.
func retryOnCallbackError(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		flag := new(retryFlag)
		buf := &bufferedWriter{header: http.Header{}}
		h.ServeHTTP(buf, req.WithContext(withRetryFlag(req.Context(), flag)))
		if flag.Load() {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "answer not taken yet; send it again", http.StatusServiceUnavailable)
			return
		}
		for k, v := range buf.header {
			w.Header()[k] = v
		}
		if buf.status == 0 {
			buf.status = http.StatusOK
		}
		w.WriteHeader(buf.status)
		w.Write(buf.body.Bytes())
	})
}

// bufferedWriter holds a response until the handler is done.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
