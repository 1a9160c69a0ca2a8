package as4

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// TLSConfig returns the client TLS settings of the eDelivery AS4 profile:
// TLS 1.2 or later, forward-secret AEAD suites for TLS 1.2, the given trust
// roots (nil: the system pool) and optional client certificate.
func TLSConfig(roots *x509.CertPool, clientCert *tls.Certificate) *tls.Config {
	c := &tls.Config{
		MinVersion: tls.VersionTLS12,
		RootCAs:    roots,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
			tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
		},
	}
	if clientCert != nil {
		c.Certificates = []tls.Certificate{*clientCert}
	}
	return c
}

// NewHTTPClient returns the HTTP client the Sender uses: tlsConf (nil:
// TLSConfig(nil, nil)), bounded dial and handshake times, no overall
// timeout (each attempt has its own context deadline) and no redirects.
func NewHTTPClient(tlsConf *tls.Config) *http.Client {
	if tlsConf == nil {
		tlsConf = TLSConfig(nil, nil)
	}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:     tlsConf,
			TLSHandshakeTimeout: 10 * time.Second,
			IdleConnTimeout:     90 * time.Second,
			// A connection per concurrent message to a partner is kept,
			// so more senders than this do not dial and handshake anew.
			MaxIdleConnsPerHost:   64,
			ExpectContinueTimeout: time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// CheckEndpoint accepts https URLs, and plain http only on a loopback host
// (the embedded demo); anything else would send evidence in clear.
func CheckEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return fmt.Errorf("endpoint %q: %w", endpoint, err)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if host == "localhost" {
			return nil
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
		return fmt.Errorf("endpoint %q: plain http is allowed only on loopback", endpoint)
	default:
		return fmt.Errorf("endpoint %q: scheme %q is not https", endpoint, u.Scheme)
	}
}

// NewServer returns an http.Server for a Receiver with header, read and
// idle time-outs suited to large uploads (no overall read deadline, the
// MIME limits bound the size).
func NewServer(addr string, h http.Handler, tlsConf *tls.Config) *http.Server {
	if tlsConf != nil && tlsConf.MinVersion < tls.VersionTLS12 {
		tlsConf.MinVersion = tls.VersionTLS12
	}
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		TLSConfig:         tlsConf,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}
