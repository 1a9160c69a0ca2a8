package platforms

import (
	"strings"
	"testing"
)

func TestDemoTokens(t *testing.T) {
	tokens, err := demoTokens("citizen=0123456789abcdef, clerk=fedcba9876543210")
	if err != nil {
		t.Fatal(err)
	}
	if tokens["0123456789abcdef"].IsClerk() || !tokens["fedcba9876543210"].IsClerk() {
		t.Fatalf("roles wrong: %+v", tokens)
	}
	if none, err := demoTokens(""); err != nil || len(none) != 0 {
		t.Errorf(`demoTokens("") = %v, %v; want none`, none, err)
	}
	for _, bad := range []string{"admin=0123456789abcdef", "citizen=short", "citizen", ","} {
		if _, err := demoTokens(bad); err == nil || !strings.Contains(err.Error(), "-demo-tokens") {
			t.Errorf("%q: error = %v", bad, err)
		}
	}
}
