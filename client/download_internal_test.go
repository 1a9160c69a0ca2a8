package client

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// TestLimitedBodyRefusesMoreThanMaxDownload: a body of exactly
// MaxDownload bytes reads whole; one byte more fails with ErrTooLarge.
func TestLimitedBodyRefusesMoreThanMaxDownload(t *testing.T) {
	for _, tc := range []struct {
		size    int
		tooLong bool
	}{{0, false}, {MaxDownload, false}, {MaxDownload + 1, true}} {
		body := &limitedBody{rc: io.NopCloser(bytes.NewReader(make([]byte, tc.size))), left: MaxDownload}
		n, err := io.Copy(io.Discard, body)
		if got := errors.Is(err, ErrTooLarge); got != tc.tooLong || (!tc.tooLong && (err != nil || n != int64(tc.size))) {
			t.Errorf("%d bytes: read %d, err %v", tc.size, n, err)
		}
	}
}
