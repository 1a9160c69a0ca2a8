package network

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/vienreiz/vienreiz/internal/servers"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/requester"
)

// Connect starts our requester over the network file's keys and P-Modes,
// serves the access points that have a listen address, and returns the
// connection (exchange.Network). Its outbox lives in
// site.StateDir/oots/requester.
func (n *Network) Connect(ctx context.Context, site exchange.Site) (_ *exchange.Connection, err error) {
	served := n.Served()
	if len(served) == 0 {
		return nil, fmt.Errorf("network file %s: no access point has a listen address; this process would receive no answers", n.Path)
	}
	r, err := requester.New(ctx, requester.Config{
		PModes: n.PModes, Identity: n.Identities[served[0]], Trust: n.Trust,
		Dir: filepath.Join(site.StateDir, "oots", "requester"), OnAnswer: site.OnAnswer,
		DefaultParty: n.File.PModes.DefaultPartner, ResendInterval: n.ResendInterval(), VerifyAt: n.VerifyAt(),
		Logger: site.Log.With("side", "requester"),
	})
	if err != nil {
		return nil, err
	}
	var group servers.Group
	running := make(chan error, 1)
	closeAll := func() error {
		group.Shutdown()
		err := r.Close()
		<-running
		return err
	}
	go func() { running <- r.Run(context.WithoutCancel(ctx)) }()
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	var lc net.ListenConfig
	for _, i := range served {
		ap := n.File.AccessPoints[i]
		l, err := lc.Listen(ctx, "tcp", ap.Listen)
		if err != nil {
			return nil, fmt.Errorf("network file %s: access_points[%d].listen: %w", n.Path, i, err)
		}
		group.Serve(l, r.AS4Handlers()[i], nil, site.Log)
		site.Log.Info("access point listening", "name", ap.Name, "listen", l.Addr().String(), "url", ap.URL)
	}
	dir := commonsvc.ClientAt(n.File.Directory.URL, httpsClient(n.DirectoryRoots, 0), site.Log)
	dir.Timeout = orDefault(n.File.Timeouts.Directory.Duration, DefaultDirectoryTimeout)
	return &exchange.Connection{
		Name: "network file " + n.Path, Directory: dir, Transport: r,
		Preview:       httpsClient(n.PreviewRoots, orDefault(n.File.Timeouts.Preview.Duration, DefaultPreviewTimeout)),
		PreviewReturn: n.File.Preview.ReturnBaseURL, Requester: n.Authority(), Close: closeAll,
	}, nil
}

// Served are the indices of the access points this process serves.
func (n *Network) Served() []int {
	var out []int
	for i, ap := range n.File.AccessPoints {
		if ap.Listen != "" {
			out = append(out, i)
		}
	}
	return out
}

// ServedIdentity is the key of the first access point this process
// serves, else of the first one.
func (n *Network) ServedIdentity() keys.Identity {
	if s := n.Served(); len(s) > 0 {
		return n.Identities[s[0]]
	}
	return n.Identities[0]
}

// Authority is our requesting authority.
func (n *Network) Authority() requester.Authority {
	p := n.File.Party
	scheme := p.AuthorityScheme
	if scheme == "" {
		scheme = requester.DefaultRequesterScheme
	}
	return requester.Authority{ID: p.AuthorityID, Scheme: scheme, Name: p.AuthorityName}
}

// ResendInterval is how often unacknowledged messages are sent again.
func (n *Network) ResendInterval() time.Duration {
	return orDefault(n.File.Timeouts.Resend.Duration, DefaultResendInterval)
}

// httpsClient trusts roots (the system's when nil).
func httpsClient(roots *x509.CertPool, timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}},
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

var _ exchange.Network = (*Network)(nil)
