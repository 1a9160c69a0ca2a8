package ui

import (
	"context"
	"testing"

	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// TestSigningInOnAPairedPhoneEndsItsPairing: a phone signed in by pairing
// that later signs in at the identity provider itself (here a step-up to
// a higher level, the same person) no longer needs its pairing. Before,
// its device grant stayed valid at the service and listed under the
// desktop's "Your devices", and its refresh token stayed in the phone's
// secret store: a credential nobody used that still signed the person
// in. Now the grant is revoked and forgotten at that sign-in.
func TestSigningInOnAPairedPhoneEndsItsPairing(t *testing.T) {
	ctx := context.Background()
	world := newSignInWorld(t)
	if err := world.s.Account.SignIn(ctx, ""); err != nil {
		t.Fatal(err)
	}
	code := showPhonePairing(t, world.w)
	tapIn(t, world.w.Canvas().Overlays().Top(), "Close")

	store := secrets.Memory()
	phone := newPhoneWithBrowser(t, world, store, func(authURL string) error {
		return devidptest.Browser(ctx, "janis", identity.LevelHigh)(authURL)
	})
	account, url := phone.s.Account, world.s.About.ServiceURL

	typeCode(t, phone.w, code)
	desktop := client.New(url).WithTokenFunc(world.s.Account.Token)
	if list, err := desktop.Devices(ctx); err != nil || len(list) != 1 {
		t.Fatalf("after pairing the desktop lists %d devices (%v), want the phone", len(list), err)
	}

	if err := account.SignIn(ctx, identity.LevelHigh); err != nil {
		t.Fatal(err)
	}
	if p, _ := account.Person(); p.Level != identity.LevelHigh {
		t.Fatalf("the phone is signed in at %q after the step-up", p.Level)
	}
	list, err := desktop.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 {
		t.Errorf("the phone's pairing is still valid after it signed in at the provider: %+v", list)
	}
	// A restart resumes the provider's session, not the pairing.
	again := newPhone(t, world, store).s.Account
	if !again.Resume(ctx) {
		t.Fatal("the phone's own sign-in did not survive a restart")
	}
	if p, _ := again.Person(); p.Level != identity.LevelHigh || p.Identifier == "" {
		t.Errorf("after a restart the phone is signed in as %+v, want the provider's session (high)", p)
	}
}
