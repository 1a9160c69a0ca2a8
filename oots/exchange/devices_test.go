package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/handoff"
)

// pairingAPI is a REST API over requests with a clock the test moves, for
// people signed in with fixed tokens.
type pairingAPI struct {
	t   *testing.T
	url string
}

func (p pairingAPI) call(token, method, path string, body, out any) (int, api.Error) {
	p.t.Helper()
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(method, p.url+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e api.ErrorBody
	if resp.StatusCode >= 300 {
		_ = json.Unmarshal(raw, &e)
	} else if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			p.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return resp.StatusCode, e.Error
}

// TestPairingSignsThePhoneIn: Jānis's desktop session (level Substantial)
// shows a pairing code; his signed-out phone redeems it and is signed in
// as him at that level with tokens of its own, which the service keeps
// only as hashes. Reused, forged, unknown and expired codes are refused
// with their own answers and sign nothing in; a portal code does not sign
// a phone in and stays usable; the access token lasts 15 minutes and the
// refresh token works once (a second use ends the grant); the device is
// listed on Profile, and removing it or signing out everywhere signs it
// out. A role an administrator takes away is taken from the phone too.
func TestPairingSignsThePhoneIn(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	q := newTestRequests(t, &now)
	janis := DemoCitizen()
	janis.LevelOfAssurance = "Substantial"
	tokens := BearerTokens{
		"desktop": janis,
		"ieva":    {Subject: "LV/LV/020285-54321", GivenName: "Ieva", FamilyName: "Kalniņa"},
		"admin":   {Subject: "LV/LV/050580-12121", Role: RoleAdministrator},
		"clerk":   {Subject: "LV/LV/230388-11111", Role: RoleClerk, Institution: "LV-DZS"},
	}
	srv := httptest.NewServer(NewHandler(HandlerConfig{Catalogue: q.store, Requests: q, Auth: tokens, Log: q.log}))
	t.Cleanup(srv.Close)
	p := pairingAPI{t, srv.URL}
	var mine api.Request
	if code, e := p.call("desktop", "POST", "/v1/requests", api.NewRequest{ServiceID: birthRecord.ServiceID, Requirement: birthRecord.Requirement, Country: "LV"}, &mine); code != 201 {
		t.Fatalf("Jānis's request: %d %v", code, e)
	}
	pairing := func() api.Handoff {
		t.Helper()
		var h api.Handoff
		if code, e := p.call("desktop", "POST", "/v1/devices/pairings", nil, &h); code != 201 || h.Code == "" || !strings.Contains(h.Link, "/open/handoff/") {
			t.Fatalf("pairing: %d %v %+v", code, e, h)
		}
		return h
	}
	devices := func(token string) []api.Device {
		t.Helper()
		var list api.DeviceList
		if code, e := p.call(token, "GET", "/v1/devices", nil, &list); code != 200 {
			t.Fatalf("devices: %d %v", code, e)
		}
		return list.Devices
	}
	refused := func(name string, in api.DevicePairing, status int, code string) {
		t.Helper()
		before := len(devices("desktop"))
		if got, e := p.call("", "POST", "/v1/devices/pair", in, nil); got != status || e.Code != code || e.Message == "" {
			t.Errorf("%s: %d %+v, want %d %s with a message", name, got, e, status, code)
		}
		if after := len(devices("desktop")); after != before {
			t.Errorf("%s: refused, yet %d devices were signed in", name, after-before)
		}
	}

	first := pairing()
	var phone api.DeviceGrant
	if code, e := p.call("", "POST", "/v1/devices/pair", api.DevicePairing{Link: first.Link, Device: "  Jāņa   Pixel "}, &phone); code != 201 {
		t.Fatalf("the phone redeems the pairing link: %d %v", code, e)
	}
	if phone.Person.Identifier != janis.Subject || phone.Person.LevelOfAssurance != "Substantial" || phone.Person.GivenName != "Jānis" ||
		!phone.ExpiresAt.Equal(now.Add(15*time.Minute)) || !strings.HasPrefix(phone.RefreshToken, "vzr.") || phone.RequestID != "" {
		t.Fatalf("the phone's grant: %+v", phone)
	}
	var list api.RequestList
	if code, _ := p.call(phone.AccessToken, "GET", "/v1/requests", nil, &list); code != 200 || list.Count != 1 || list.Requests[0].ID != mine.ID {
		t.Fatalf("the phone lists %d: %+v, want Jānis's request", code, list)
	}
	if got := devices(phone.AccessToken); len(got) != 1 || got[0].Device != "Jāņa Pixel" || !got[0].Current || got[0].LevelOfAssurance != "Substantial" {
		t.Fatalf("the phone's devices: %+v", got)
	}
	if got := devices("desktop"); len(got) != 1 || got[0].Current {
		t.Fatalf("the desktop's list of devices: %+v", got)
	}
	// The tokens are nowhere in what the service wrote.
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(t.TempDir()), "*", "*"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		for _, tok := range []string{phone.AccessToken, phone.RefreshToken} {
			if bytes.Contains(data, []byte(tok)) {
				t.Fatalf("%s holds a device token in clear", f)
			}
		}
	}

	refused("reused link", api.DevicePairing{Link: first.Link}, http.StatusConflict, api.CodeHandoffUsed)
	refused("reused code", api.DevicePairing{Code: first.Code}, http.StatusConflict, api.CodeHandoffUsed)
	second := pairing()
	forged := second.Link[:len(second.Link)-3] + strings.Map(func(r rune) rune {
		if r == 'A' {
			return 'B'
		}
		return 'A'
	}, second.Link[len(second.Link)-3:])
	refused("forged link", api.DevicePairing{Link: forged}, http.StatusBadRequest, api.CodeHandoffInvalid)
	refused("unknown code", api.DevicePairing{Code: "2345-6789"}, http.StatusBadRequest, api.CodeHandoffInvalid)
	refused("a name of 101 letters", api.DevicePairing{Code: second.Code, Device: strings.Repeat("ā", 101)}, http.StatusBadRequest, api.CodeBadRequest)
	// Signed in already, the phone cannot use a pairing code.
	if code, e := p.call("ieva", "POST", "/v1/handoffs/redeem", api.Redeem{Code: second.Code}, nil); code != http.StatusForbidden || e.Code != api.CodeHandoffOtherPerson {
		t.Errorf("Ieva redeems Jānis's pairing: %d %+v", code, e)
	}
	if code, e := p.call("desktop", "POST", "/v1/handoffs/redeem", api.Redeem{Code: second.Code}, nil); code != http.StatusConflict || e.Code != api.CodeHandoffSignsIn {
		t.Errorf("a signed-in device redeems a pairing: %d %+v, want 409 %s", code, e, api.CodeHandoffSignsIn)
	}
	now = now.Add(handoff.Lifetime)
	refused("expired code", api.DevicePairing{Code: second.Code}, http.StatusGone, api.CodeHandoffExpired)
	// A portal's code starts a request for a signed-in person: it signs
	// nobody in and can still be used after signing in (here it opens the
	// person's request for the same evidence, under way: 200).
	portal, err := NewHandoffs(q, handoff.NewKey()).Create(context.Background(), "", birthRecord, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	refused("portal code", api.DevicePairing{Code: portal.Code}, http.StatusConflict, api.CodeHandoffNeedsSignIn)
	if code, e := p.call(phone.AccessToken, "POST", "/v1/handoffs/redeem", api.Redeem{Code: portal.Code}, nil); code != 200 {
		t.Fatalf("the signed-in phone redeems the portal code: %d %v", code, e)
	}

	// 15 minutes after pairing the access token has expired: the
	// refresh token gives new ones, once.
	now = now.Add(15*time.Minute - handoff.Lifetime)
	if code, _ := p.call(phone.AccessToken, "GET", "/v1/requests", nil, nil); code != 401 {
		t.Fatalf("an access token 15 minutes old: %d, want 401", code)
	}
	var next api.DeviceGrant
	if code, e := p.call("", "POST", "/v1/devices/refresh", api.DeviceRefresh{RefreshToken: phone.RefreshToken}, &next); code != 200 || next.AccessToken == phone.AccessToken || next.RefreshToken == phone.RefreshToken || next.ID != phone.ID {
		t.Fatalf("refresh: %d %v %+v", code, e, next)
	}
	if code, _ := p.call(next.AccessToken, "GET", "/v1/requests", nil, nil); code != 200 {
		t.Fatalf("the refreshed token: %d", code)
	}
	// The old refresh token again (a copy of the phone's storage, say):
	// the grant ends for both.
	if code, e := p.call("", "POST", "/v1/devices/refresh", api.DeviceRefresh{RefreshToken: phone.RefreshToken}, nil); code != 401 || e.Code != api.CodeDeviceSignedOut {
		t.Fatalf("reused refresh token: %d %+v", code, e)
	}
	if code, _ := p.call(next.AccessToken, "GET", "/v1/requests", nil, nil); code != 401 {
		t.Fatalf("after a refresh token was reused, the grant still works: %d", code)
	}

	// Profile: another person cannot remove Jānis's device; he can.
	var tablet api.DeviceGrant
	p.call("", "POST", "/v1/devices/pair", api.DevicePairing{Code: pairing().Code, Device: "Tablet"}, &tablet)
	if code, _ := p.call("ieva", "POST", "/v1/devices/"+tablet.ID+"/revoke", nil, nil); code != 404 {
		t.Fatalf("Ieva removes Jānis's tablet: %d, want 404", code)
	}
	if code, _ := p.call(tablet.AccessToken, "GET", "/v1/requests", nil, nil); code != 200 {
		t.Fatalf("the tablet after Ieva's try: %d", code)
	}
	if code, _ := p.call("desktop", "POST", "/v1/devices/"+tablet.ID+"/revoke", nil, nil); code != 200 {
		t.Fatalf("Jānis removes his tablet: %d", code)
	}
	if code, _ := p.call(tablet.AccessToken, "GET", "/v1/requests", nil, nil); code != 401 {
		t.Fatalf("the removed tablet: %d, want 401", code)
	}
	if code, _ := p.call("", "POST", "/v1/devices/refresh", api.DeviceRefresh{RefreshToken: tablet.RefreshToken}, nil); code != 401 {
		t.Fatalf("the removed tablet refreshes: %d, want 401", code)
	}

	// Sign out everywhere ends every device, also their refresh tokens.
	var a, b api.DeviceGrant
	p.call("", "POST", "/v1/devices/pair", api.DevicePairing{Code: pairing().Code}, &a)
	p.call("", "POST", "/v1/devices/pair", api.DevicePairing{Code: pairing().Code}, &b)
	var revoked api.DevicesRevoked
	if code, _ := p.call(a.AccessToken, "POST", "/v1/devices/revoke", nil, &revoked); code != 200 || revoked.Revoked != 2 {
		t.Fatalf("sign out everywhere: %d %+v, want 2 devices", code, revoked)
	}
	for _, g := range []api.DeviceGrant{a, b} {
		if code, _ := p.call(g.AccessToken, "GET", "/v1/requests", nil, nil); code != 401 {
			t.Errorf("after sign out everywhere: %d, want 401", code)
		}
		if code, _ := p.call("", "POST", "/v1/devices/refresh", api.DeviceRefresh{RefreshToken: g.RefreshToken}, nil); code != 401 {
			t.Errorf("refresh after sign out everywhere: %d, want 401", code)
		}
	}
	if got := devices("desktop"); len(got) != 0 {
		t.Fatalf("devices left: %+v", got)
	}

	// "Continue on my phone" from a request signs the phone in and opens
	// the request; the clerk's "hand to the citizen's phone" does not sign
	// anyone in as the citizen.
	var fromRequest api.Handoff
	p.call("desktop", "POST", "/v1/handoffs", api.NewHandoff{RequestID: mine.ID}, &fromRequest)
	var c api.DeviceGrant
	if code, e := p.call("", "POST", "/v1/devices/pair", api.DevicePairing{Code: fromRequest.Code}, &c); code != 201 || c.RequestID != mine.ID || c.Person.Identifier != janis.Subject {
		t.Fatalf("pairing from the request: %d %v %+v", code, e, c)
	}
	var fromDesk api.Handoff
	if code, e := p.call("clerk", "POST", "/v1/handoffs", api.NewHandoff{RequestID: mine.ID}, &fromDesk); code != 201 {
		t.Fatalf("the clerk hands the case over: %d %v", code, e)
	}
	refused("the clerk's handoff on a signed-out phone", api.DevicePairing{Code: fromDesk.Code}, http.StatusConflict, api.CodeHandoffNeedsSignIn)

	// A role an administrator assigned and took away: the phone loses it.
	if code, e := p.call("admin", "POST", "/v1/admin/roles", api.RoleAssignment{Subject: "LV/LV/020285-54321", Role: api.RoleClerk, Institution: "LV-DZS"}, nil); code != 200 {
		t.Fatalf("assign: %d %v", code, e)
	}
	var ievasPairing api.Handoff
	p.call("ieva", "POST", "/v1/devices/pairings", nil, &ievasPairing)
	var ievasPhone api.DeviceGrant
	p.call("", "POST", "/v1/devices/pair", api.DevicePairing{Code: ievasPairing.Code}, &ievasPhone)
	post := func() int {
		code, _ := p.call(ievasPhone.AccessToken, "POST", "/v1/requests/"+mine.ID+"/status", api.StatusChange{Message: "Checked."}, nil)
		return code
	}
	if code := post(); code != 200 {
		t.Fatalf("Ieva's phone as the registry's clerk: %d, want 200", code)
	}
	p.call("admin", "POST", "/v1/admin/roles/remove", api.RoleRemoval{Subject: "LV/LV/020285-54321"}, nil)
	if code := post(); code != 403 {
		t.Fatalf("Ieva's phone after her role was taken away: %d, want 403", code)
	}
}

// TestGuessedPairingCodesAreLimited: POST /v1/devices/pair takes codes
// from anyone, so an address that tries codes that do not exist is
// answered 429 (with Retry-After) after DefaultLimits.CodeGuesses of them, even for a
// right code, which stays usable from elsewhere; other addresses are not
// affected. Used or expired codes are not guesses.
func TestGuessedPairingCodesAreLimited(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	q := newTestRequests(t, &now)
	h := NewHandler(HandlerConfig{Catalogue: q.store, Requests: q, Auth: BearerTokens{"desktop": DemoCitizen()}, Log: q.log})
	call := func(from, token, path string, body any) (*httptest.ResponseRecorder, api.Error) {
		data, _ := json.Marshal(body)
		req := httptest.NewRequest("POST", path, bytes.NewReader(data))
		req.RemoteAddr = from + ":40000"
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var e api.ErrorBody
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		return rec, e.Error
	}
	var pairing api.Handoff
	rec, _ := call("192.0.2.1", "desktop", "/v1/devices/pairings", nil)
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &pairing) != nil {
		t.Fatalf("pairing: %d %s", rec.Code, rec.Body)
	}
	const guesser = "203.0.113.7"
	for i := range DefaultLimits.CodeGuesses {
		if rec, e := call(guesser, "", "/v1/devices/pair", api.DevicePairing{Code: fmt.Sprintf("2345-%04d", i)}); rec.Code != http.StatusBadRequest || e.Code != api.CodeHandoffInvalid {
			t.Fatalf("guess %d: %d %+v, want 400 %s", i+1, rec.Code, e, api.CodeHandoffInvalid)
		}
	}
	rec, e := call(guesser, "", "/v1/devices/pair", api.DevicePairing{Code: pairing.Code})
	if rec.Code != http.StatusTooManyRequests || e.Code != api.CodeTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("after %d guesses, the right code from the same address: %d %+v (Retry-After %q), want 429 with Retry-After", DefaultLimits.CodeGuesses, rec.Code, e, rec.Header().Get("Retry-After"))
	}
	if rec, e := call("198.51.100.9", "", "/v1/devices/pair", api.DevicePairing{Code: pairing.Code, Device: "Phone"}); rec.Code != 201 {
		t.Fatalf("the right code from the person's own phone: %d %+v, want 201 (the guesser's 429 must not use it up)", rec.Code, e)
	}
}

// TestGuessLimiterWindow: the failures of an address count for
// guessWindow from the first; then the address starts afresh.
func TestGuessLimiterWindow(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	g := newGuessLimiter(3, func() time.Time { return now })
	for range 3 {
		g.failed("a")
	}
	if !g.refuse(httptest.NewRecorder(), "a") || g.refuse(httptest.NewRecorder(), "b") {
		t.Fatal("the guesser is not refused, or another address is")
	}
	now = now.Add(guessWindow - time.Second)
	rec := httptest.NewRecorder()
	if !g.refuse(rec, "a") || rec.Header().Get("Retry-After") != "2" {
		t.Fatalf("a second before the window ends: Retry-After %q, want 2", rec.Header().Get("Retry-After"))
	}
	now = now.Add(time.Second)
	if g.refuse(httptest.NewRecorder(), "a") {
		t.Fatal("refused after the window ended")
	}
}
