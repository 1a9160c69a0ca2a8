package exchange_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange"
)

// idleConns opens n connections to addr: every other one sends one
// keep-alive request and reads its answer (then waits idle), the rest
// send nothing. It returns them; the test closes them.
func idleConns(t testing.TB, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for i := range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns = append(conns, c)
		if i%2 == 0 {
			fmt.Fprintf(c, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err == nil {
				resp.Body.Close()
			}
		}
	}
	return conns
}

// healthWithin gets /v1/health on a fresh connection and fails unless it
// answers 200 within d.
func healthWithin(t testing.TB, base string, d time.Duration) time.Duration {
	t.Helper()
	c := &http.Client{Timeout: d, Transport: &http.Transport{DisableKeepAlives: true}}
	t0 := time.Now()
	resp, err := c.Get(base + "/v1/health")
	if err != nil {
		t.Fatalf("/v1/health: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/v1/health: %d", resp.StatusCode)
	}
	return time.Since(t0)
}

// TestFiveThousandIdleConnectionsDoNotStarveHealth: a stranger holds
// 5,000 connections open, half of them idle keep-alive after a request,
// half never sending a byte. /v1/health still answers at once, and the
// service keeps at most its limits open: the longest-waiting connections
// beyond them are closed.
func TestFiveThousandIdleConnectionsDoNotStarveHealth(t *testing.T) {
	s := start(t, exchange.Config{DataDir: t.TempDir(), Limits: exchange.Limits{Conns: 2000, ConnsPerHost: 1000}})
	addr := s.URL()[len("http://"):]
	conns := idleConns(t, addr, 5000)
	healthWithin(t, s.URL(), 10*time.Second) // answers at all: how fast is BenchmarkHealthUnderIdleConnections

	// The server closes the evicted connections on its own goroutines: look
	// again (up to 10 s) until their ends have arrived.
	closed := make([]bool, len(conns))
	open := len(conns)
	for deadline := time.Now().Add(10 * time.Second); open > 1000 && time.Now().Before(deadline); {
		for i, c := range conns {
			if closed[i] {
				continue
			}
			_ = c.SetReadDeadline(time.Now().Add(time.Millisecond))
			if _, err := c.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
				closed[i] = true
				open--
			}
		}
	}
	if open > 1000 {
		t.Fatalf("%d of the stranger's connections still open, limit per host 1000", open)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// TestEventStreamsCappedPerPersonAndOverall: one person gets 429 beyond
// their streams, everyone 503 beyond the service's; a closed stream frees
// its place.
func TestEventStreamsCappedPerPersonAndOverall(t *testing.T) {
	s := start(t, exchange.Config{DataDir: t.TempDir(), Auth: people, Limits: exchange.Limits{StreamsPerPrincipal: 2, Streams: 3}})
	var mu sync.Mutex
	var open []*http.Response
	stream := func(token string) int {
		req, _ := http.NewRequest("GET", s.URL()+"/v1/events", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode == http.StatusOK {
			mu.Lock()
			open = append(open, resp)
			mu.Unlock()
		} else {
			resp.Body.Close()
		}
		return resp.StatusCode
	}
	t.Cleanup(func() {
		for _, r := range open {
			r.Body.Close()
		}
	})
	got := []int{stream(janisToken), stream(janisToken), stream(janisToken), stream(ievaToken), stream(ievaToken)}
	want := []int{200, 200, http.StatusTooManyRequests, 200, http.StatusServiceUnavailable}
	if !slices.Equal(got, want) {
		t.Fatalf("stream answers %v, want %v", got, want)
	}
	open[0].Body.Close()
	deadline := time.Now().Add(5 * time.Second)
	for code := 0; code != 200; code = stream(janisToken) {
		if time.Now().After(deadline) {
			t.Fatalf("a closed stream did not free its place: %d", code)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTLSOnTheAPI: with a certificate and key the API is served over
// HTTPS only.
func TestTLSOnTheAPI(t *testing.T) {
	dir := t.TempDir()
	certPEM, keyPEM := selfSigned(t)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for f, b := range map[string][]byte{certFile: certPEM, keyFile: keyPEM} {
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s := start(t, exchange.Config{DataDir: dir, TLSCert: certFile, TLSKey: keyFile})
	if s.URL()[:8] != "https://" {
		t.Fatalf("URL %s is not https", s.URL())
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := c.Get(s.URL() + "/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health over TLS: %d", resp.StatusCode)
	}
	if resp, err := http.Get("http://" + s.URL()[len("https://"):] + "/v1/health"); err == nil && resp.StatusCode == 200 {
		t.Fatal("plain HTTP answered 200 on the TLS listener")
	}
	if _, err := exchange.Start(t.Context(), exchange.Config{DataDir: t.TempDir(), TLSCert: certFile, Network: nil}); err == nil {
		t.Fatal("a certificate without a key was accepted")
	}
}

func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// BenchmarkHealthUnderIdleConnections: GET /v1/health latency on a fresh
// connection while 5,000 idle connections are held, as a ratio to the
// same with none, in the same run (p99-ratio).
func BenchmarkHealthUnderIdleConnections(b *testing.B) {
	cfg := exchange.Config{DataDir: b.TempDir(), Logger: quietLog()}
	s := start(b, cfg)
	measure := func(b *testing.B) time.Duration {
		var lat []time.Duration
		for b.Loop() {
			lat = append(lat, healthWithin(b, s.URL(), 5*time.Second))
		}
		slices.Sort(lat)
		p99 := lat[len(lat)*99/100]
		b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
		return p99
	}
	var idle time.Duration
	b.Run("baseline-no-idle-connections", func(b *testing.B) { idle = measure(b) })
	b.Run("5000-idle-connections", func(b *testing.B) {
		idleConns(b, s.URL()[len("http://"):], 5000)
		b.ResetTimer()
		p99 := measure(b)
		b.ReportMetric(float64(p99)/float64(idle), "p99-ratio")
	})
}
