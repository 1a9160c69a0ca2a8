package wss

import (
	"errors"
	"fmt"
)

// ErrFailedAuthentication is wrapped by every signature or certificate
// failure (ebMS error EBMS:0101 FailedAuthentication).
var ErrFailedAuthentication = errors.New("wss: failed authentication")

// ErrFailedDecryption is wrapped by every decryption failure (ebMS error
// EBMS:0102 FailedDecryption).
var ErrFailedDecryption = errors.New("wss: failed decryption")

// ErrPolicyNoncompliance is wrapped when a message does not follow the
// security policy: missing signature or reference, unknown or weak
// algorithm, ambiguous structure (ebMS error EBMS:0103 PolicyNoncompliance).
var ErrPolicyNoncompliance = errors.New("wss: policy noncompliance")

// authErr, decErr and policyErr build errors wrapping the matching sentinel.
func authErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFailedAuthentication, fmt.Sprintf(format, args...))
}

func decErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFailedDecryption, fmt.Sprintf(format, args...))
}

func policyErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrPolicyNoncompliance, fmt.Sprintf(format, args...))
}
