package provider

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseInput: preview space input never panics, errors wrap errInput,
// and whatever is accepted is a bounded, printable identifier and a known
// decision.
func FuzzParseInput(f *testing.F) {
	f.Add("application/json", []byte(`{"subject":"LV/DE/1","decision":"approve"}`), true)
	f.Add("application/x-www-form-urlencoded", []byte("subject=LV%2FDE%2F1"), false)
	f.Add("application/json; charset=utf-8", []byte(`{"subject":"\u0000"}`), false)
	f.Add("multipart/form-data; boundary=x", []byte("--x--"), false)
	f.Fuzz(func(t *testing.T, ctype string, body []byte, decision bool) {
		in, err := parseInput(ctype, body, decision)
		if err != nil {
			if !errors.Is(err, errInput) {
				t.Fatalf("error %v does not wrap errInput", err)
			}
			return
		}
		if in.Subject == "" || len(in.Subject) > 256 || !utf8.ValidString(in.Subject) || strings.TrimSpace(in.Subject) != in.Subject {
			t.Fatalf("accepted subject %q", in.Subject)
		}
		if decision != (in.Decision == DecisionApprove || in.Decision == DecisionRefuse) {
			t.Fatalf("accepted decision %q (needed %v)", in.Decision, decision)
		}
	})
}
