package demonode

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
)

// servers are the HTTP servers of a demo side, stopped together.
type servers []*http.Server

// serve runs h on l in the background, over https with tlsConf if set;
// its errors go to log at debug level.
func (ss *servers) serve(l net.Listener, h http.Handler, tlsConf *tls.Config, log *slog.Logger) {
	srv := as4.NewServer(l.Addr().String(), h, nil)
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelDebug)
	*ss = append(*ss, srv)
	if tlsConf != nil {
		srv.TLSConfig = tlsConf
		go srv.ServeTLS(l, "", "")
		return
	}
	go srv.Serve(l)
}

// shutdown stops every server, waiting up to 5 s for calls in flight.
func (ss servers) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range ss {
		if err := s.Shutdown(ctx); err != nil {
			s.Close()
		}
	}
}
