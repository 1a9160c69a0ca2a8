package exchange_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/internal/pgtest"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/store"
)

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func start(t testing.TB, cfg exchange.Config) *exchange.Server {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quietLog()
	}
	if cfg.Network == nil {
		cfg.Network = demonet.Embedded{ObserveSend: observeSend}
	}
	s, err := exchange.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Close(ctx)
	})
	return s
}

// configs returns the embedded default (SQLite in a data folder) and, when
// VIENREIZ_TEST_POSTGRES is set, a PostgreSQL-backed service.
func configs(t *testing.T) map[string]exchange.Config {
	out := map[string]exchange.Config{"sqlite": {DataDir: t.TempDir()}}
	if dsn := pgtest.Fresh(t); dsn != "" {
		out["postgres"] = exchange.Config{Database: dsn}
	}
	return out
}

func TestCatalogueThroughClient(t *testing.T) {
	for name, cfg := range configs(t) {
		t.Run(name, func(t *testing.T) { testCatalogueThroughClient(t, cfg) })
	}
}

func testCatalogueThroughClient(t *testing.T, cfg exchange.Config) {
	s := start(t, cfg)
	c := client.New(s.URL())
	ctx := context.Background()

	all, err := c.Services(ctx, catalogue.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 12 {
		t.Fatalf("catalogue has %d services, want at least 12", len(all))
	}
	lv, err := c.Services(ctx, catalogue.Query{Text: "augstskolā", Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	if len(lv) != 1 || lv[0].ID != "lv-university-admission" {
		t.Fatalf("search 'augstskolā' in LV = %v", ids(lv))
	}
	edu, err := c.Services(ctx, catalogue.Query{Category: "education"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range edu {
		if s.Category != "education" {
			t.Fatalf("category filter returned %s of %s", s.ID, s.Category)
		}
	}
	svc, err := c.Service(ctx, "de-vehicle-registration")
	if err != nil {
		t.Fatal(err)
	}
	if svc.Country != "DE" || svc.ProcessingDays != 7 || svc.Evidence[0].Requirement == "" {
		t.Fatalf("service = %+v", svc)
	}
	f, err := c.Facets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Countries) != 5 || len(f.Categories) < 5 {
		t.Fatalf("facets = %+v", f)
	}
	h, err := c.Health(ctx)
	if err != nil || h.Status != "ok" {
		t.Fatalf("health = %+v, %v", h, err)
	}
}

func ids(list []catalogue.Service) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func TestBadRequestsGetJSONErrors(t *testing.T) {
	s := start(t, exchange.Config{DataDir: t.TempDir()})
	tests := []struct {
		name   string
		path   string
		status int
		code   string
	}{
		{"unknown service id", "/v1/services/no-such-service", 404, api.CodeNotFound},
		{"malformed service id", "/v1/services/%3Cscript%3E", 404, api.CodeNotFound},
		{"over-long search", "/v1/services?q=" + strings.Repeat("a", catalogue.MaxQueryLength+1), 400, api.CodeBadRequest},
		{"country not a code", "/v1/services?country=Latvia", 400, api.CodeBadRequest},
		{"invalid UTF-8 search", "/v1/services?q=%FF%FE", 400, api.CodeBadRequest},
		{"unknown endpoint", "/v1/nothing", 404, api.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(s.URL() + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body api.ErrorBody
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if resp.StatusCode != tt.status || body.Error.Code != tt.code || body.Error.Message == "" {
				t.Fatalf("got %d %+v, want %d %s with a message", resp.StatusCode, body, tt.status, tt.code)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type = %q", ct)
			}
		})
	}
	_, err := client.New(s.URL()).Service(context.Background(), "no-such-service")
	if !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("client error for unknown id = %v, want ErrNotFound", err)
	}
}

func TestStartFailsClearly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	notADir := filepath.Join(dir, "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := exchange.Start(ctx, exchange.Config{DataDir: notADir, Logger: quietLog(), Network: demonet.Embedded{}}); err == nil || !strings.Contains(err.Error(), "data directory") {
		t.Fatalf("data dir that is a file: error = %v", err)
	}

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	_, err = exchange.Start(ctx, exchange.Config{DataDir: t.TempDir(), Listen: busy.Addr().String(), Logger: quietLog(), Network: demonet.Embedded{}})
	if err == nil || !strings.Contains(err.Error(), "cannot listen on") {
		t.Fatalf("port in use: error = %v", err)
	}

	corruptDir := t.TempDir()
	db := filepath.Join(corruptDir, exchange.DatabaseFile)
	garbage := []byte(strings.Repeat("this is not sqlite ", 300))
	if err := os.WriteFile(db, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = exchange.Start(ctx, exchange.Config{DataDir: corruptDir, Logger: quietLog(), Network: demonet.Embedded{}})
	if !errors.Is(err, store.ErrForeignDatabase) {
		t.Fatalf("corrupt database: error = %v", err)
	}
	if after, _ := os.ReadFile(db); string(after) != string(garbage) {
		t.Fatal("corrupt database file was overwritten")
	}
}

func TestRestartKeepsDataAndPortIsReleased(t *testing.T) {
	dir := t.TempDir()
	s, err := exchange.Start(context.Background(), exchange.Config{DataDir: dir, Logger: quietLog(), Network: demonet.Embedded{}})
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(s.URL(), "http://")
	if err := s.Close(context.Background()); err != nil {
		t.Fatalf("graceful close: %v", err)
	}
	s2 := start(t, exchange.Config{DataDir: dir, Listen: addr})
	if _, err := client.New(s2.URL()).Service(context.Background(), "lv-ehic"); err != nil {
		t.Fatalf("after restart on the same port: %v", err)
	}
}

// TestCloseTwice: closing a service that is already closed returns at
// once with the first close's result (it once waited for ever on the
// server's end that had already been read).
func TestCloseTwice(t *testing.T) {
	s := start(t, exchange.Config{DataDir: t.TempDir()})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	first := s.Close(ctx)
	second := make(chan error, 1)
	go func() { second <- s.Close(ctx) }()
	select {
	case err := <-second:
		if !errors.Is(err, first) && err != first {
			t.Fatalf("second Close = %v, first %v", err, first)
		}
	case <-ctx.Done():
		t.Fatal("the second Close did not return")
	}
}
