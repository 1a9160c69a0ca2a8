package exchange

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/handoff"
)

// birthRecord is a handoff to the demo birth-record request.
var birthRecord = api.NewHandoff{
	ServiceID:   "lv-birth-certificate",
	Requirement: "https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba",
	Country:     "LV",
}

// TestHandoffRedeemAndRefusals: a handoff starts its request once, for its
// person, within five minutes; expired, reused, forged, unknown and other
// person's handoffs are refused with their own error and start nothing.
func TestHandoffRedeemAndRefusals(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	q := newTestRequests(t, &now)
	h := NewHandoffs(q, handoff.NewKey())
	janis, ieva := DemoCitizen(), Principal{Subject: "LV/LV/020285-54321", GivenName: "Ieva", FamilyName: "Kalniņa"}
	started := func(who Principal) int {
		t.Helper()
		list, err := q.List(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	refused := func(name string, who Principal, in api.Redeem, want error) {
		t.Helper()
		before := started(who)
		if _, err := h.Redeem(ctx, who, in); !errors.Is(err, want) {
			t.Fatalf("%s: Redeem = %v, want %v", name, err, want)
		}
		if after := started(who); after != before {
			t.Fatalf("%s: refused, yet %d requests were started", name, after-before)
		}
	}

	link, err := h.Create(ctx, janis.Subject, birthRecord, "https://portal.example.lv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(link.Link, "https://portal.example.lv/open/handoff/") || !strings.HasPrefix(link.AppLink, "vienreiz://handoff/") ||
		!link.ExpiresAt.Equal(now.Add(handoff.Lifetime)) {
		t.Fatalf("handoff %+v", link)
	}
	refused("other person by link", ieva, api.Redeem{Link: link.Link}, handoff.ErrOtherPerson)
	refused("other person by code", ieva, api.Redeem{Code: link.Code}, handoff.ErrOtherPerson)

	now = now.Add(handoff.Lifetime - time.Second)
	req, err := h.Redeem(ctx, janis, api.Redeem{Link: link.AppLink})
	if err != nil {
		t.Fatal(err)
	}
	if req.ServiceID != birthRecord.ServiceID || req.Requirement != birthRecord.Requirement || req.Country != "LV" || started(janis) != 1 {
		t.Fatalf("redeemed into %+v", req)
	}
	refused("reused link", janis, api.Redeem{Link: link.Link}, handoff.ErrUsed)
	refused("reused code", janis, api.Redeem{Code: strings.ToLower(link.Code)}, handoff.ErrUsed)

	// Not signed in on the portal: anyone may redeem, by code.
	open, err := h.Create(ctx, "", birthRecord, "https://portal.example.lv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Redeem(ctx, ieva, api.Redeem{Code: open.Code}); err != nil || started(ieva) != 1 {
		t.Fatalf("unbound handoff by code: %v", err)
	}

	late, err := h.Create(ctx, janis.Subject, birthRecord, "https://portal.example.lv")
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(handoff.Lifetime)
	refused("expired link", janis, api.Redeem{Link: late.Link}, handoff.ErrExpired)
	refused("expired code", janis, api.Redeem{Code: late.Code}, handoff.ErrExpired)

	fresh, err := h.Create(ctx, janis.Subject, birthRecord, "https://portal.example.lv")
	if err != nil {
		t.Fatal(err)
	}
	token, _ := handoff.TokenOf(fresh.Link)
	payload, _, _ := strings.Cut(token, ".")
	otherKey, _ := handoff.NewSigner(handoff.NewKey())
	foreign, _ := otherKey.Token(handoff.NewID(), now.Add(time.Minute))
	refused("forged signature", janis, api.Redeem{Link: "vienreiz://handoff/" + payload + ".AAAAAAAAAAAAAAAAAAAAAA"}, handoff.ErrForged)
	refused("other service's key", janis, api.Redeem{Link: "vienreiz://handoff/" + foreign}, handoff.ErrForged)
	refused("not a handoff link", janis, api.Redeem{Link: "https://example.com/login"}, handoff.ErrForged)
	refused("unknown code", janis, api.Redeem{Code: "ZZZZ-ZZZZ"}, handoff.ErrUnknown)
	refused("not a code", janis, api.Redeem{Code: "hello"}, handoff.ErrUnknown)
	refused("link and code", janis, api.Redeem{Link: fresh.Link, Code: fresh.Code}, ErrInvalid)
	refused("nothing", janis, api.Redeem{}, ErrInvalid)
	// The refusals above left the fresh handoff usable.
	if _, err := h.Redeem(ctx, janis, api.Redeem{Code: fresh.Code}); err != nil {
		t.Fatalf("fresh handoff after refusals: %v", err)
	}
}

// TestHandoffForUnknownServiceIsNotMade: a handoff is only made for a
// request that could be started.
func TestHandoffForUnknownServiceIsNotMade(t *testing.T) {
	now := time.Now()
	h := NewHandoffs(newTestRequests(t, &now), handoff.NewKey())
	for name, in := range map[string]api.NewHandoff{
		"service":     {ServiceID: "no-such", Requirement: birthRecord.Requirement, Country: "LV"},
		"requirement": {ServiceID: birthRecord.ServiceID, Requirement: "x", Country: "LV"},
		"country":     {ServiceID: birthRecord.ServiceID, Requirement: birthRecord.Requirement, Country: "Latvia"},
	} {
		if _, err := h.Create(context.Background(), "", in, "http://x"); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

func TestHandoffRefusalAnswers(t *testing.T) {
	for err, want := range map[error]int{
		handoff.ErrForged:      http.StatusBadRequest,
		handoff.ErrUnknown:     http.StatusBadRequest,
		handoff.ErrExpired:     http.StatusGone,
		handoff.ErrUsed:        http.StatusConflict,
		handoff.ErrOtherPerson: http.StatusForbidden,
	} {
		if got, code, ok := handoffRefusal(err); !ok || got != want || !strings.HasPrefix(code, "handoff_") {
			t.Errorf("%v: %d %s %v", err, got, code, ok)
		}
	}
	if _, _, ok := handoffRefusal(ErrInvalid); ok {
		t.Error("ErrInvalid taken for a handoff refusal")
	}
}

// TestHandoffKeyComesFromConfiguration: two processes with the configured
// key redeem each other's links, and the key is not in the database. After
// the key is changed, a live link made before is refused as signed with
// an earlier key (its short code still works), while a made-up link is
// still "not made by this service".
func TestHandoffKeyComesFromConfiguration(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	q := newTestRequests(t, &now)
	key, rotated := handoff.NewKey(), handoff.NewKey()
	first, second := NewHandoffs(q, key), NewHandoffs(q, key)
	janis := DemoCitizen()
	a, err := first.Create(ctx, janis.Subject, birthRecord, "https://portal.example.lv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := second.Redeem(ctx, janis, api.Redeem{Link: a.Link}); err != nil {
		t.Fatalf("another process with the same key: %v", err)
	}
	sentinel := bytes.Repeat([]byte{7}, 32)
	if kept, err := q.store.ServiceKey(ctx, "handoff-hmac", sentinel); err != nil || !bytes.Equal(kept, sentinel) {
		t.Fatalf("a handoff key was kept in the database: %x %v", kept, err)
	}

	b, _ := first.Create(ctx, janis.Subject, birthRecord, "https://portal.example.lv")
	c, _ := first.Create(ctx, janis.Subject, birthRecord, "https://portal.example.lv")
	after := NewHandoffs(q, rotated)
	_, err = after.Redeem(ctx, janis, api.Redeem{Link: b.Link})
	if status, code, _ := handoffRefusal(err); status != http.StatusBadRequest || code != api.CodeHandoffKeyChanged || !strings.Contains(err.Error(), "type the code") {
		t.Fatalf("a link of the old key after rotation: %v (%d %s)", err, status, code)
	}
	if _, err := after.Redeem(ctx, janis, api.Redeem{Code: c.Code}); err != nil {
		t.Fatalf("the short code after rotation: %v", err)
	}
	madeUp, _ := handoff.NewSigner(handoff.NewKey())
	token, _ := madeUp.Token(handoff.NewID(), now.Add(time.Minute))
	_, err = after.Redeem(ctx, janis, api.Redeem{Link: "vienreiz://" + handoff.Path(token)})
	if status, code, _ := handoffRefusal(err); code != api.CodeHandoffInvalid || errors.Is(err, errKeyChanged) {
		t.Fatalf("a made-up link: %v (%d %s)", err, status, code)
	}
}
