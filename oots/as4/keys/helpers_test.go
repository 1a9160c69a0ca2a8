package keys_test

import (
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
)

// refTime is the reference time of every test PKI here.
var refTime = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// newPKI builds the test CA or fails the test.
func newPKI(t testing.TB) *testpki.PKI {
	t.Helper()
	p, err := testpki.New(refTime)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
