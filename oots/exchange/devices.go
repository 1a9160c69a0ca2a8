package exchange

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/handoff"
	"github.com/vienreiz/vienreiz/oots/store"
)

// Device sign-in by pairing: a signed-in app shows a pairing code (a
// handoff that carries its person), a signed-out device redeems it and
// gets a device grant of its own for the same person at the same level of
// assurance. The tokens are random, prefixed so the service knows them
// from identity-provider tokens, and kept only as SHA-256 hashes.
const (
	deviceAccessPrefix    = "vzd."
	deviceRefreshPrefix   = "vzr."
	deviceAccessLifetime  = 15 * time.Minute
	deviceRefreshLifetime = 30 * 24 * time.Hour
	maxDeviceName         = 100
)

var (
	// errNeedsSignIn: a signed-out device redeemed a handoff that does
	// not sign it in (a portal link, or a case a clerk handed over).
	errNeedsSignIn = errors.New("this code is for a signed-in person: sign in on this device first, then use the code again")
	// errSignsIn: a signed-in device redeemed a pairing code.
	errSignsIn = errors.New("this code signs in a device that is signed out; this device is signed in already")
	// errDeviceSignedOut: the device's grant has ended.
	errDeviceSignedOut = errors.New("this device has been signed out (signed out everywhere, removed on Profile, expired, or its sign-in was used elsewhere); sign in again")
)

// PairDevice makes a pairing code that signs a signed-out device in as
// who, at who's level of assurance; it works once, for handoff.Lifetime.
func (h *Handoffs) PairDevice(ctx context.Context, who Principal, base string) (*api.Handoff, error) {
	grant, err := json.Marshal(who)
	if err != nil {
		return nil, err
	}
	return h.make(ctx, store.Handoff{Subject: who.Subject, Grant: string(grant)}, base)
}

// SignInDevice redeems a pairing code for a signed-out device: it marks
// the code used and returns the device's new grant. A code that is not a
// pairing is refused with errNeedsSignIn and stays unused; forged,
// expired and used ones get their handoff errors.
func (h *Handoffs) SignInDevice(ctx context.Context, in api.DevicePairing) (*api.DeviceGrant, error) {
	name := strings.Join(strings.Fields(in.Device), " ")
	switch {
	case !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxDeviceName:
		return nil, fmt.Errorf("%w: the device's name must be text of at most %d characters", ErrInvalid, maxDeviceName)
	case name == "":
		name = "Device"
	}
	rec, err := h.find(ctx, api.Redeem{Link: in.Link, Code: in.Code})
	if err != nil {
		return nil, err
	}
	now := h.reqs.now().UTC()
	switch {
	case !now.Before(rec.ExpiresAt):
		return nil, handoff.ErrExpired
	case !rec.UsedAt.IsZero():
		return nil, handoff.ErrUsed
	case rec.Grant == "":
		return nil, errNeedsSignIn
	}
	var who Principal
	if err := json.Unmarshal([]byte(rec.Grant), &who); err != nil || who.Subject != rec.Subject {
		return nil, fmt.Errorf("pairing %s: the person kept with it cannot be read: %v", rec.ID, err)
	}
	if err := h.reqs.store.UseHandoff(ctx, rec.ID, who.Subject, now); errors.Is(err, store.ErrConflict) {
		return nil, handoff.ErrUsed
	} else if err != nil {
		return nil, err
	}
	g := store.DeviceGrant{ID: handoff.NewID(), Subject: who.Subject, Principal: rec.Grant, Device: name, CreatedAt: now}
	out := h.issue(&g, now)
	if err := h.reqs.store.PutDeviceGrant(ctx, g); err != nil {
		return nil, errors.Join(err, h.reqs.store.GiveBackHandoff(context.WithoutCancel(ctx), rec.ID))
	}
	h.reqs.log.Info("device signed in by pairing", "person", who.Subject, "grant", g.ID, "device", name, "level", who.LevelOfAssurance)
	out.Person = api.Person{Identifier: who.Subject, GivenName: who.GivenName, FamilyName: who.FamilyName,
		DateOfBirth: who.DateOfBirth, LevelOfAssurance: who.LevelOfAssurance}
	out.RequestID = rec.RequestID
	return out, nil
}

// issue gives g fresh tokens valid from now and returns them; only their
// hashes stay in g.
func (h *Handoffs) issue(g *store.DeviceGrant, now time.Time) *api.DeviceGrant {
	access, refresh := deviceAccessPrefix+randomToken(), deviceRefreshPrefix+randomToken()
	g.AccessHash, g.RefreshHash = tokenHash(access), tokenHash(refresh)
	g.AccessExpiresAt = now.Add(deviceAccessLifetime).Truncate(time.Second)
	g.RefreshExpiresAt = now.Add(deviceRefreshLifetime).Truncate(time.Second)
	g.RefreshedAt = now
	return &api.DeviceGrant{ID: g.ID, AccessToken: access, ExpiresAt: g.AccessExpiresAt, RefreshToken: refresh, RefreshExpiresAt: g.RefreshExpiresAt}
}

// RefreshDevice trades a device's refresh token for new tokens. A refresh
// token works once: the one before the current, used again, means two
// devices hold the grant, and the grant ends.
func (h *Handoffs) RefreshDevice(ctx context.Context, refresh string) (*api.DeviceGrant, error) {
	if !strings.HasPrefix(refresh, deviceRefreshPrefix) {
		return nil, errDeviceSignedOut
	}
	hash := tokenHash(refresh)
	g, err := h.reqs.store.DeviceGrantByRefresh(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errDeviceSignedOut
	} else if err != nil {
		return nil, err
	}
	now := h.reqs.now().UTC()
	switch {
	case !g.RevokedAt.IsZero(), !now.Before(g.RefreshExpiresAt):
		return nil, errDeviceSignedOut
	case g.RefreshHash != hash:
		h.reqs.log.Warn("a device's old refresh token was used again: its grant ends", "person", g.Subject, "grant", g.ID)
		return nil, errors.Join(errDeviceSignedOut, h.reqs.store.RevokeDeviceGrant(ctx, g.Subject, g.ID, now))
	}
	next := *g
	out := h.issue(&next, now)
	if err := h.reqs.store.RotateDeviceGrant(ctx, g.ID, hash, next); errors.Is(err, store.ErrConflict) {
		return nil, errDeviceSignedOut
	} else if err != nil {
		return nil, err
	}
	var who Principal
	_ = json.Unmarshal([]byte(g.Principal), &who)
	out.Person = api.Person{Identifier: who.Subject, GivenName: who.GivenName, FamilyName: who.FamilyName,
		DateOfBirth: who.DateOfBirth, LevelOfAssurance: who.LevelOfAssurance}
	return out, nil
}

// Devices lists who's devices signed in by pairing; current is the hash
// of the caller's own access token, to mark its device.
func (h *Handoffs) Devices(ctx context.Context, who Principal, current string) ([]api.Device, error) {
	list, err := h.reqs.store.DeviceGrants(ctx, who.Subject)
	if err != nil {
		return nil, err
	}
	now := h.reqs.now()
	out := []api.Device{}
	for _, g := range list {
		if !now.Before(g.RefreshExpiresAt) {
			continue
		}
		var p Principal
		_ = json.Unmarshal([]byte(g.Principal), &p)
		out = append(out, api.Device{ID: g.ID, Device: g.Device, LevelOfAssurance: p.LevelOfAssurance, CreatedAt: g.CreatedAt,
			RefreshedAt: g.RefreshedAt, RefreshExpiresAt: g.RefreshExpiresAt, Current: current != "" && g.AccessHash == current})
	}
	return out, nil
}

// RevokeDevice signs one of who's devices out; ErrNotYours when who has
// no such device.
func (h *Handoffs) RevokeDevice(ctx context.Context, who Principal, id string) error {
	err := h.reqs.store.RevokeDeviceGrant(ctx, who.Subject, id, h.reqs.now().UTC())
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: no such device", ErrNotYours)
	}
	return err
}

// RevokeDevices signs every device of who's out ("sign out everywhere").
func (h *Handoffs) RevokeDevices(ctx context.Context, who Principal) (int, error) {
	n, err := h.reqs.store.RevokeDeviceGrants(ctx, who.Subject, h.reqs.now().UTC())
	if err == nil {
		h.reqs.log.Info("devices signed out everywhere", "person", who.Subject, "devices", n)
	}
	return n, err
}

// deviceTokens authenticates calls with a device grant's access token and
// hands every other token to next.
type deviceTokens struct {
	h    *Handoffs
	next Authenticator
}

func (d deviceTokens) Authenticate(r *http.Request) (Principal, error) {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !strings.HasPrefix(token, deviceAccessPrefix) {
		return d.next.Authenticate(r)
	}
	g, err := d.h.reqs.store.DeviceGrantByAccess(r.Context(), tokenHash(token))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Principal{}, fmt.Errorf("%w: the device's access token is not valid", ErrUnauthenticated)
	case err != nil:
		return Principal{}, err
	case !g.RevokedAt.IsZero():
		return Principal{}, fmt.Errorf("%w: %v", ErrUnauthenticated, errDeviceSignedOut)
	case !d.h.reqs.now().Before(g.AccessExpiresAt):
		return Principal{}, fmt.Errorf("%w: the device's access token has expired; refresh it", ErrUnauthenticated)
	}
	var who Principal
	if err := json.Unmarshal([]byte(g.Principal), &who); err != nil || who.Subject != g.Subject {
		return Principal{}, fmt.Errorf("%w: the device grant cannot be read", ErrUnauthenticated)
	}
	return who, nil
}

// callerTokenHash is the hash of the caller's device access token, or "".
func callerTokenHash(r *http.Request) string {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !strings.HasPrefix(token, deviceAccessPrefix) {
		return ""
	}
	return tokenHash(token)
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// signedInAs is the caller as their token says, without a role an
// administrator assigned: what a device grant carries, since the assigned
// role is added on every call and its removal must reach paired devices.
// It is called behind signedIn, so the token was accepted a moment ago;
// the empty Principal it returns otherwise grants nothing.
func (a *restAPI) signedInAs(r *http.Request) Principal {
	who, _ := a.auth.Authenticate(r)
	return who
}

func (a *restAPI) createPairing(w http.ResponseWriter, r *http.Request, _ Principal) {
	who := a.signedInAs(r)
	if who.Subject == "" {
		writeError(w, http.StatusUnauthorized, api.CodeUnauthorized, "sign in again")
		return
	}
	out, err := a.handoffs.PairDevice(r.Context(), who, publicBase(r))
	a.answer(w, r, http.StatusCreated, out, err)
}

func (a *restAPI) pairDevice(w http.ResponseWriter, r *http.Request) {
	if a.handoffs == nil {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "devices are not signed in here")
		return
	}
	addr := clientAddr(r)
	if a.guesses.refuse(w, addr) {
		return
	}
	var in api.DevicePairing
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.handoffs.SignInDevice(r.Context(), in)
	if status, code, ok := handoffRefusal(err); ok {
		if code == api.CodeHandoffInvalid { // a code that does not exist: a guess
			a.guesses.failed(addr)
		}
		writeError(w, status, code, err.Error())
		return
	}
	a.answer(w, r, http.StatusCreated, out, err)
}

func (a *restAPI) refreshDevice(w http.ResponseWriter, r *http.Request) {
	if a.handoffs == nil {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "devices are not signed in here")
		return
	}
	var in api.DeviceRefresh
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.handoffs.RefreshDevice(r.Context(), in.RefreshToken)
	if errors.Is(err, errDeviceSignedOut) {
		writeError(w, http.StatusUnauthorized, api.CodeDeviceSignedOut, errDeviceSignedOut.Error())
		return
	}
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) listDevices(w http.ResponseWriter, r *http.Request, who Principal) {
	list, err := a.handoffs.Devices(r.Context(), who, callerTokenHash(r))
	a.answer(w, r, http.StatusOK, api.DeviceList{Devices: list, Count: len(list)}, err)
}

func (a *restAPI) revokeDevice(w http.ResponseWriter, r *http.Request, who Principal) {
	err := a.handoffs.RevokeDevice(r.Context(), who, r.PathValue("id"))
	if errors.Is(err, ErrNotYours) {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "no such device")
		return
	}
	a.answer(w, r, http.StatusOK, api.DevicesRevoked{Revoked: 1}, err)
}

func (a *restAPI) revokeDevices(w http.ResponseWriter, r *http.Request, who Principal) {
	n, err := a.handoffs.RevokeDevices(r.Context(), who)
	a.answer(w, r, http.StatusOK, api.DevicesRevoked{Revoked: n}, err)
}
