package exchange

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/vienreiz/vienreiz/oots/requester"
)

// Network connects the service to an OOTS network: the Evidence Broker and
// Data Service Directory, the AS4 transport and the providers' preview
// spaces. Start calls Connect once, after it listens and before it serves;
// the demo network (oots/demonet) and a configured real one (oots/network)
// implement it.
type Network interface {
	Connect(ctx context.Context, site Site) (*Connection, error)
}

// Site is what the service offers a network when it connects.
type Site struct {
	// URL is the service's own base URL, e.g. http://127.0.0.1:8080.
	URL string
	// Mux serves the network's handlers on the service's listener, such
	// as an AS4 endpoint at POST /as4 or an embedded directory.
	Mux *http.ServeMux
	// StateDir is a folder the network may keep its state in.
	StateDir string
	// OnAnswer receives the providers' answers.
	OnAnswer func(ctx context.Context, a requester.Answer) error
	Log      *slog.Logger
}

// Connection is a connected network.
type Connection struct {
	// Name says which network this is in the start-up log.
	Name string
	// Directory answers the EB and DSD look-ups.
	Directory Directory
	// Transport sends QueryRequests; nil leaves ready requests waiting.
	Transport Transport
	// Preview reaches the providers' preview spaces; nil means previews
	// cannot be opened.
	Preview PreviewSpace
	// PreviewReturn is the base URL at which citizens' browsers reach this
	// service (https). When set, the citizen opens the provider's preview
	// space in the browser (Request.PreviewURL) and is sent back to
	// PreviewReturn/open/requests/ID; when empty, the service fetches
	// previews itself through Preview (the demo).
	PreviewReturn string
	// Requester is our evidence-requesting authority: its identifier
	// (and scheme) go into every QueryRequest, and its name when the
	// catalogue names none.
	Requester requester.Authority
	// Close releases what Connect started; nil when nothing needs it.
	Close func() error
}

// PreviewSpace sends HTTP requests to the providers' preview spaces;
// *http.Client satisfies it.
type PreviewSpace interface {
	Do(req *http.Request) (*http.Response, error)
}
