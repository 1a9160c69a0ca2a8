package demonet

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"

	"github.com/vienreiz/vienreiz/internal/servers"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
	"github.com/vienreiz/vienreiz/oots/network"
	"github.com/vienreiz/vienreiz/oots/provider"
)

// MemberState is a demo member state configured by a network file: it
// serves the demo evidence and directory, but its party, keys, trust,
// P-Modes, access points, preview space and directory address all come
// from the file.
type MemberState struct {
	prov  *provider.Provider
	group servers.Group
}

// StartMemberState starts the provider of the demo evidence over n (which
// must configure our preview space), with its state in dir, serving n's
// access points that have a listen address, the preview space and, when
// n.File.Directory.Listen is set, the demo directory.
func StartMemberState(ctx context.Context, n *network.Network, dir string, log *slog.Logger) (_ *MemberState, err error) {
	f := n.File
	if n.PreviewCert == nil {
		return nil, fmt.Errorf("network file %s: a member state needs its own preview space ([preview] url, listen and tls)", n.Path)
	}
	if len(n.Served()) == 0 {
		return nil, fmt.Errorf("network file %s: no access point has a listen address", n.Path)
	}
	directory, err := demodir.Directory()
	if err != nil {
		return nil, err
	}
	ms := &MemberState{}
	defer func() {
		if err != nil {
			ms.Close()
		}
	}()
	ms.prov, err = provider.New(provider.Config{
		PModes: n.PModes, Identity: n.Identities[n.Served()[0]], Trust: n.Trust, Directory: directory,
		Dir: filepath.Join(dir, "provider"), PreviewURL: f.Preview.URL, ResendInterval: n.ResendInterval(),
		Logger: log.With("side", "provider"),
	})
	if err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	type listener struct {
		field, addr string
		h           http.Handler
		tls         *tls.Config
	}
	var ls []listener
	for _, i := range n.Served() {
		ls = append(ls, listener{fmt.Sprintf("access_points[%d].listen", i), f.AccessPoints[i].Listen, ms.prov.AS4Handlers()[i], nil})
	}
	ls = append(ls, listener{"preview.listen", f.Preview.Listen, ms.prov.PreviewHandler(),
		&tls.Config{Certificates: []tls.Certificate{*n.PreviewCert}, MinVersion: tls.VersionTLS12}})
	if f.Directory.Listen != "" {
		ls = append(ls, listener{"directory.listen", f.Directory.Listen, commonsvc.NewServer(directory, log), nil})
	}
	var lc net.ListenConfig
	for _, l := range ls {
		ln, err := lc.Listen(ctx, "tcp", l.addr)
		if err != nil {
			return nil, fmt.Errorf("network file %s: %s: %w", n.Path, l.field, err)
		}
		ms.group.Serve(ln, l.h, l.tls, log)
		log.Info("member state listening", "what", l.field, "address", ln.Addr().String())
	}
	return ms, nil
}

// Close stops the listeners and the provider; unsent answers stay in its
// outbox for the next start.
func (ms *MemberState) Close() error {
	ms.group.Shutdown()
	if ms.prov != nil {
		return ms.prov.Close()
	}
	return nil
}
