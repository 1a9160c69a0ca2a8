package provider

import (
	"errors"
	"net/url"
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

// FuzzParseReturnURL: a requester's return URL never panics the preview
// space; errors wrap errReturnURL, and what is accepted is a bounded
// absolute http(s) URL without credentials that survives the round trip
// through the pages' query.
func FuzzParseReturnURL(f *testing.F) {
	f.Add("https://vienreiz.example.lv/open/requests/r-1")
	f.Add("javascript:alert(1)")
	f.Add("https://u:p@x/")
	f.Add("http://[::1]:8080/a?b=c#d")
	f.Add("//evil.example/")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := parseReturnURL(s)
		if err != nil {
			if !errors.Is(err, errReturnURL) {
				t.Fatalf("error %v does not wrap errReturnURL", err)
			}
			return
		}
		if s == "" {
			if u != nil {
				t.Fatalf("empty return URL gave %v", u)
			}
			return
		}
		if len(s) > MaxReturnURL || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			t.Fatalf("accepted %q as %#v", s, u)
		}
		q, err := url.ParseQuery(strings.TrimPrefix(withReturn(u), "?"))
		if err != nil || q.Get(ReturnParam) != u.String() {
			t.Fatalf("%q does not come back from the query %q: %v", u, withReturn(u), err)
		}
	})
}
