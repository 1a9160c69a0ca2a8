// Package servers runs a group of HTTP listeners (AS4 endpoints, preview
// spaces, directories) in the background and stops them together.
package servers

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
)

// Group is the HTTP servers started by Serve; the zero value is empty.
type Group []*http.Server

// Serve runs h on l in the background with the AS4 server limits, over
// https with tlsConf if set; its errors go to log at debug level.
func (g *Group) Serve(l net.Listener, h http.Handler, tlsConf *tls.Config, log *slog.Logger) {
	srv := as4.NewServer(l.Addr().String(), h, nil)
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelDebug)
	*g = append(*g, srv)
	if tlsConf != nil {
		srv.TLSConfig = tlsConf
		go srv.ServeTLS(l, "", "")
		return
	}
	go srv.Serve(l)
}

// Shutdown stops every server, waiting up to 5 s for calls in flight.
func (g Group) Shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range g {
		if err := s.Shutdown(ctx); err != nil {
			s.Close()
		}
	}
}
