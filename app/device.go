package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app/signin"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// deviceRefreshName is the secret a paired device's refresh token is kept
// under, so a restart carries on signed in.
const deviceRefreshName = "device/refresh-token"

// personSession is a signed-in person's session: with the identity
// provider (*signin.Session), or a device grant from pairing
// (*DeviceSession).
type personSession interface {
	person() signin.Person
	AccessToken() (string, error)
	SignOut(ctx context.Context, everywhere bool) error
}

// providerSession is a session with the identity provider.
type providerSession struct{ *signin.Session }

func (p providerSession) person() signin.Person { return p.Person }

// DeviceSession is this device signed in by pairing: the exchange
// service's grant for the person whose app showed the pairing code, at
// that sign-in's level of assurance. Its refresh token is kept in the
// secret store.
type DeviceSession struct {
	api   *client.Client // anonymous: the grant's calls carry their own tokens
	store secrets.Store
	now   func() time.Time

	mu    sync.Mutex
	grant api.DeviceGrant
	ended bool
}

// refreshMargin renews an access token this long before it expires.
const refreshMargin = 30 * time.Second

func (d *DeviceSession) person() signin.Person {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.grant.Person
	return signin.Person{Identifier: p.Identifier, GivenName: p.GivenName, FamilyName: p.FamilyName, DateOfBirth: p.DateOfBirth, Level: p.LevelOfAssurance}
}

// AccessToken returns a valid access token, refreshing the grant when it
// is about to expire. A grant the service ended (revoked here or on the
// other device, signed out everywhere) is an error wrapping
// signin.ErrNoSession.
func (d *DeviceSession) AccessToken() (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ended {
		return "", fmt.Errorf("%w: signed out", signin.ErrNoSession)
	}
	if d.now().Add(refreshMargin).Before(d.grant.ExpiresAt) {
		return d.grant.AccessToken, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), client.DefaultTimeout)
	defer cancel()
	g, err := d.api.RefreshDevice(ctx, d.grant.RefreshToken)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && (apiErr.Code == api.CodeDeviceSignedOut || apiErr.Status == http.StatusUnauthorized) {
		d.ended = true
		_ = d.store.Delete(deviceRefreshName)
		return "", fmt.Errorf("%w: %s", signin.ErrNoSession, apiErr.Message)
	}
	if err != nil {
		return "", err
	}
	if err := d.keep(*g); err != nil {
		return "", err
	}
	return d.grant.AccessToken, nil
}

// recheck makes the next AccessToken ask the service again.
func (d *DeviceSession) recheck() {
	d.mu.Lock()
	d.grant.ExpiresAt = time.Time{}
	d.mu.Unlock()
}

// keep takes g as the current grant and stores its refresh token.
func (d *DeviceSession) keep(g api.DeviceGrant) error {
	d.grant = g
	if err := d.store.Set(deviceRefreshName, g.RefreshToken); err != nil {
		return fmt.Errorf("keeping the device's sign-in: %w", err)
	}
	return nil
}

// SignOut ends this device's grant at the service; with everywhere, every
// paired device of the person. The device counts as signed out even when
// the service cannot be told.
func (d *DeviceSession) SignOut(ctx context.Context, everywhere bool) error {
	token, err := d.AccessToken()
	d.mu.Lock()
	id := d.grant.ID
	d.ended = true
	d.mu.Unlock()
	if err == nil {
		c := d.api.WithToken(token)
		if everywhere {
			_, err = c.RevokeDevices(ctx)
		} else {
			err = c.RevokeDevice(ctx, id)
		}
	}
	return errors.Join(err, d.store.Delete(deviceRefreshName))
}

// UsePairing lets the account sign this device in by redeeming another
// device's pairing code, and resume such a sign-in after a restart; svc
// is the exchange service (anonymous), store keeps the device's refresh
// token. Without it, "sign out everywhere" cannot sign paired devices out
// either.
func (a *Account) UsePairing(svc *client.Client, store secrets.Store) {
	a.mu.Lock()
	a.devices, a.deviceStore = svc, store
	a.mu.Unlock()
}

// ErrNotPairing is returned by PairDevice for a code that does not sign a
// device in (a portal's code, a case a clerk handed over): sign in first.
var ErrNotPairing = errors.New("this code does not sign this device in")

// PairDevice redeems a pairing link or code while nobody is signed in
// here: the device is signed in as the person whose app showed it. The
// grant's RequestID names the request to open, if the pairing was made
// from one. A code that is no pairing wraps ErrNotPairing and stays
// unused.
func (a *Account) PairDevice(ctx context.Context, in api.DevicePairing) (*api.DeviceGrant, error) {
	a.mu.Lock()
	svc, store := a.devices, a.deviceStore
	a.mu.Unlock()
	if svc == nil {
		return nil, ErrNotPairing
	}
	g, err := svc.PairDevice(ctx, in)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && apiErr.Code == api.CodeHandoffNeedsSignIn {
		return nil, fmt.Errorf("%w: %w", ErrNotPairing, err)
	}
	if err != nil {
		return nil, err
	}
	d := &DeviceSession{api: svc, store: store, now: time.Now}
	if err := d.keep(*g); err != nil {
		return nil, err
	}
	a.start(d)
	return g, nil
}

// resumeDevice continues a paired device's kept grant; ok is false when
// there is none or it has ended.
func (a *Account) resumeDevice() (ok bool) {
	a.mu.Lock()
	svc, store := a.devices, a.deviceStore
	a.mu.Unlock()
	if svc == nil {
		return false
	}
	refresh, err := store.Get(deviceRefreshName)
	if err != nil || refresh == "" {
		return false
	}
	d := &DeviceSession{api: svc, store: store, now: time.Now, grant: api.DeviceGrant{RefreshToken: refresh}}
	if _, err := d.AccessToken(); err != nil {
		a.log.Warn("the paired device's sign-in could not be resumed", "err", err)
		return false
	}
	a.start(d)
	return true
}

// Refused is told that the service refused the session's token (401;
// client.OnRefused): a paired device asks the service again, and is
// signed out when its grant has ended (removed on the other device,
// signed out everywhere).
func (a *Account) Refused() {
	a.mu.Lock()
	d, ok := a.session.(*DeviceSession)
	a.mu.Unlock()
	if ok {
		d.recheck()
		_, _ = a.Token()
	}
}

// revokeDevices signs every paired device of the person of s out, for
// "sign out everywhere" from a provider session.
func (a *Account) revokeDevices(ctx context.Context, s personSession) error {
	a.mu.Lock()
	svc := a.devices
	a.mu.Unlock()
	if svc == nil {
		return nil
	}
	token, err := s.AccessToken()
	if err != nil {
		return err
	}
	n, err := svc.WithToken(token).RevokeDevices(ctx)
	if err == nil {
		a.log.Info("paired devices signed out", "devices", n)
	}
	return err
}

// DevicesAPI is what the app needs of the exchange service to pair other
// devices and list them; *client.Client satisfies it.
type DevicesAPI interface {
	CreatePairing(ctx context.Context) (*api.Handoff, error)
	Devices(ctx context.Context) ([]api.Device, error)
	RevokeDevice(ctx context.Context, id string) error
}

// Devices are the person's other devices signed in by pairing (Profile).
type Devices struct{ api DevicesAPI }

// NewDevices returns the paired-devices use cases.
func NewDevices(a DevicesAPI) *Devices { return &Devices{api: a} }

// Pair makes a pairing code, with its link drawn as a QR code, that signs
// a signed-out phone in as the person signed in here.
func (d *Devices) Pair(ctx context.Context) (*Pairing, error) {
	out, err := d.api.CreatePairing(ctx)
	if err != nil {
		return nil, err
	}
	return pairingOf(out)
}

// List returns the person's paired devices, newest first.
func (d *Devices) List(ctx context.Context) ([]api.Device, error) { return d.api.Devices(ctx) }

// Revoke signs device id out.
func (d *Devices) Revoke(ctx context.Context, id string) error { return d.api.RevokeDevice(ctx, id) }

// deviceName is the name this device gives itself when it is paired: its
// host name where it has a real one, else its kind.
func deviceName() string {
	kind := map[string]string{"android": "Android", "ios": "iPhone", "darwin": "Mac", "windows": "Windows", "linux": "Linux"}[runtime.GOOS]
	if kind == "" {
		kind = runtime.GOOS
	}
	if h, err := os.Hostname(); err == nil && h != "" && h != "localhost" {
		return kind + " · " + h
	}
	return kind
}
