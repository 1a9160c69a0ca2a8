// Package demonet connects the exchange service to the demo member state,
// the zero-configuration network: either embedded in the service (both
// member states and their access points on loopback, the directory served
// by the service itself) or running in its own process and shared by
// several service processes. Only the app and vienreiz-server import it;
// a nodemo build links none of it.
package demonet

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/requester/demonode"
)

// Requester is the demo's requesting authority: the Latvian company
// register's identifier (EAS 9939) of a demo authority. The name comes
// from the catalogue.
var Requester = requester.Authority{ID: "90000000000", Scheme: requester.DefaultRequesterScheme}

// DirectoryPath is where the embedded network serves the demo EB/DSD on
// the service's listener.
const DirectoryPath = "/oots/directory"

// Embedded is the demo member state running inside the service, over real
// AS4 on loopback, with its state under the service's data folder.
type Embedded struct {
	// ObserveSend, when set, sees every submission the demo node's AS4
	// senders (ours and the demo provider's) accept; tests capture the
	// EDM payloads with it (as4.Sender.Observe).
	ObserveSend func(*as4.Submission)
	// Password seals the demo's PKCS#12 key stores
	// (demonode.DefaultPassword when empty); stores sealed with the
	// default are sealed again with it.
	Password string
}

// Connect serves the demo directory on the service's listener and starts
// the demo node.
func (e Embedded) Connect(ctx context.Context, site exchange.Site) (*exchange.Connection, error) {
	demo, err := demodir.Directory()
	if err != nil {
		return nil, fmt.Errorf("embedded directory: %w", err)
	}
	site.Mux.Handle(DirectoryPath+"/", http.StripPrefix(DirectoryPath, commonsvc.NewServer(demo, site.Log)))
	node, err := demonode.Start(ctx, demonode.Options{Dir: filepath.Join(site.StateDir, "oots"), Password: e.Password, OnAnswer: site.OnAnswer, Logger: site.Log, ObserveSend: e.ObserveSend})
	if err != nil {
		return nil, fmt.Errorf("demo member state: %w", err)
	}
	site.Log.Info("the demo network is running: an embedded demo member state with test keys, not a real OOTS network (use -network FILE for one)")
	return &exchange.Connection{
		Name: "demo (embedded)", Directory: commonsvc.ClientAt(site.URL+DirectoryPath+commonsvc.V2Path, nil, site.Log),
		Transport: node.Requester(), Preview: node.PreviewClient(), Requester: Requester, Close: node.Close,
	}, nil
}

// Shared is a demo member state running in its own process
// (vienreiz-server -demo-member-state) in folder Dir: this service joins
// it with its own requester outbox and receives answers at POST /as4.
type Shared struct {
	Dir string
}

// Connect joins the member state in s.Dir.
func (s Shared) Connect(ctx context.Context, site exchange.Site) (*exchange.Connection, error) {
	info, err := demonode.LoadMemberState(s.Dir)
	if err != nil {
		return nil, err
	}
	j, err := demonode.Join(ctx, demonode.JoinOptions{
		MemberState: s.Dir, Info: info, Dir: filepath.Join(site.StateDir, "oots", "requester"), OnAnswer: site.OnAnswer, Logger: site.Log,
	})
	if err != nil {
		return nil, fmt.Errorf("demo member state: %w", err)
	}
	site.Mux.Handle("POST /as4", j.AS4Handler())
	site.Log.Info("the demo network is running: a shared demo member state with test keys, not a real OOTS network", "folder", s.Dir)
	return &exchange.Connection{
		Name: "demo (shared member state " + s.Dir + ")", Directory: commonsvc.ClientAt(info.DirectoryURL+commonsvc.V2Path, nil, site.Log),
		Transport: j.Requester, Preview: j.PreviewClient(), Requester: Requester, Close: j.Close,
	}, nil
}
