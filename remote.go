package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/platforms/device"
)

// appFlags are the app's settings: those of the embedded exchange
// service (embeddedFlags: none in a noservice build), or the address of a
// running one.
type appFlags struct {
	embeddedFlags
	// Service is the address of a running exchange service to use
	// instead of the embedded one; empty starts the embedded one.
	Service string
}

// serviceMetadata names, in the app's Fyne metadata, the address of the
// running exchange service a package was built for: a phone app takes no
// flags, so `fyne package --metadata service=https://…`
// (scripts/package-mobile.sh) names it; -service and VIENREIZ_SERVICE
// come first.
const serviceMetadata = "service"

// useBuiltInService takes the service address of the app's metadata when
// neither -service nor VIENREIZ_SERVICE gave one.
func (f *appFlags) useBuiltInService(meta fyne.AppMetadata) {
	if f.Service == "" {
		f.Service = meta.Custom[serviceMetadata]
	}
}

// register adds the app's flags to fs.
func (f *appFlags) register(fs *flag.FlagSet) {
	f.embeddedFlags.register(fs)
	fs.StringVar(&f.Service, "service", os.Getenv("VIENREIZ_SERVICE"), "address of a running exchange service (https://…) to use instead of an embedded one; the app asks it where people sign in (VIENREIZ_SERVICE; default: the address the package was built with, its metadata \"service\")")
}

// service is the exchange service the session talks to.
type service struct {
	url, dataDir string
	signIn       identity.Provider
	// stop stops the embedded service and its sign-in provider; nil for
	// a running service.
	stop func(*slog.Logger)
}

// check accepts "" (the embedded service, where the build has one), an
// https URL, or an http URL of this machine: the app sends people's
// tokens to the service.
func (f *appFlags) check() error {
	if f.Service == "" {
		if !hasEmbeddedService {
			return errors.New("this build (-tags noservice) has no exchange service of its own: give the address of a running one (-service https://…, VIENREIZ_SERVICE, or the package's metadata \"service\")")
		}
		return nil
	}
	u, err := url.Parse(f.Service)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an https://… address", f.Service)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("%s: plain http only to a service on this machine; the app sends sign-in tokens to it", f.Service)
	}
	return nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// remoteService is the running service -service names; people sign in
// with the provider it names at GET /v1/sign-in, or the one -oidc-issuer
// gives.
func remoteService(ctx context.Context, f *appFlags) (service, error) {
	dir := f.DataDir
	if dir == "" {
		d, err := device.DataDir()
		if err != nil {
			return service{}, err
		}
		dir = d
	}
	svc := service{url: strings.TrimSuffix(f.Service, "/"), dataDir: dir, signIn: identity.Provider{Issuer: f.OIDCIssuer, ClientID: f.OIDCClientID}}
	if svc.signIn.Issuer != "" {
		return svc, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var err error
	if svc.signIn, err = client.New(svc.url).SignIn(ctx); err != nil {
		return service{}, fmt.Errorf("the exchange service at %s did not say where people sign in: %w", svc.url, err)
	}
	return svc, nil
}
