package commonsvc

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// CacheTTL is how long ClientAt's client keeps an answer.
const CacheTTL = 10 * time.Minute

// ClientAt returns a caching client of the EB and DSD query interfaces
// below base (base/query/eb/rest/search and base/query/dsd/rest/search),
// sending through hc (http.DefaultClient when nil).
func ClientAt(base string, hc *http.Client, log *slog.Logger) *Client {
	base = strings.TrimSuffix(base, "/")
	return &Client{
		EBURL:  base + "/query/eb/rest/search",
		DSDURL: base + "/query/dsd/rest/search",
		HTTP:   hc,
		Cache:  NewCache(CacheConfig{TTL: CacheTTL}),
		Logger: log,
	}
}
