package commonsvc

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/regrep"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// demoServer serves the demo directory and counts requests.
func demoServer(t testing.TB) (*httptest.Server, *Directory, *atomic.Int64) {
	t.Helper()
	d := demo(t)
	var hits atomic.Int64
	h := NewServer(d, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, d, &hits
}

// clientFor is a client of srv's v2.0 query interface, which gives every
// demo provider, the Finnish EDM v2.0 ones too (as the demo network's).
func clientFor(srv *httptest.Server) *Client {
	base := srv.URL + V2Path
	return &Client{EBURL: base + "/query/eb/rest/search", DSDURL: base + "/query/dsd/rest/search", HTTP: srv.Client(), Timeout: 5 * time.Second}
}

// wireView drops what the wire does not carry (preview support).
func wireView(ts []DataServiceEvidenceType) []DataServiceEvidenceType {
	out := make([]DataServiceEvidenceType, len(ts))
	for i, t := range ts {
		t.Services = append([]DataService(nil), t.Services...)
		for j := range t.Services {
			t.Services[j].Preview = PreviewUnknown
		}
		out[i] = t
	}
	return out
}

// TestClientRoundTripMatchesDirectory runs every EB query of the demo data
// and the DSD query of every evidence type through HTTP and checks the
// client returns what the directory answered.
func TestClientRoundTripMatchesDirectory(t *testing.T) {
	srv, d, _ := demoServer(t)
	c := clientFor(srv)
	ctx := context.Background()
	n := 0
	for _, country := range d.Countries() {
		for proc := range d.procedures {
			q := RequirementsQuery{Procedure: proc, Country: country}
			want, wantErr := d.Requirements(q)
			got, err := c.Requirements(ctx, q)
			compare(t, "requirements "+proc+" "+country, want, wantErr, got, err)
			n++
		}
		for _, id := range d.RequirementIDs() {
			q := EvidenceTypesQuery{RequirementID: id, Country: country}
			want, wantErr := d.EvidenceTypes(q)
			got, err := c.EvidenceTypes(ctx, q)
			compare(t, "evidence types "+id+" "+country, want, wantErr, got, err)
			n++
		}
	}
	for _, et := range d.types {
		q := DataServicesQuery{Classification: et.classification, Country: et.country}
		want, wantErr := d.DataServices(q)
		got, err := c.DataServices(ctx, q)
		compare(t, "data services "+et.slug, wireView(want), wantErr, got, err)
		n++
	}
	if n < 150 {
		t.Errorf("only %d queries compared", n)
	}
}

func compare[T any](t *testing.T, what string, want T, wantErr error, got T, err error) {
	t.Helper()
	if wantErr != nil {
		if CodeOf(err) != CodeOf(wantErr) || CodeOf(err) == "" {
			t.Errorf("%s: error %v, want %v", what, err, wantErr)
		}
		var qe, wqe *QueryError
		if errors.As(err, &qe) && errors.As(wantErr, &wqe) && (qe.Detail != wqe.Detail || qe.Message != wqe.Message || qe.Type != wqe.Type) {
			t.Errorf("%s: error %+v, want %+v", what, qe, wqe)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: client result differs from directory\n got %+v\nwant %+v", what, got, want)
	}
}

// TestClientAttributeFlow is the full look-up of the main flow: the
// requirements of R1 in LV, the evidence types for proof of birth in DE,
// DSD:ERR:0005 for the Land, and the provider in Berlin.
func TestClientAttributeFlow(t *testing.T) {
	srv, _, _ := demoServer(t)
	c := clientFor(srv)
	ctx := context.Background()
	reqs, err := c.Requirements(ctx, RequirementsQuery{Procedure: "R1", Country: "LV"})
	if err != nil || len(reqs) != 1 || reqs[0].ID != reqID("proof-of-birth") {
		t.Fatalf("requirements: %v %+v", err, reqs)
	}
	ets, err := c.EvidenceTypes(ctx, EvidenceTypesQuery{RequirementID: reqs[0].ID, Country: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	et := ets[0].EvidenceTypes()[0]
	q := DataServicesQuery{Classification: et.Classification, Country: "DE"}
	_, err = c.DataServices(ctx, q)
	var ae *AttributesRequiredError
	if !errors.As(err, &ae) {
		t.Fatalf("want DSD:ERR:0005, got %v", err)
	}
	if !strings.Contains(ae.URL, "country-code=DE") {
		t.Errorf("error URL %q", ae.URL)
	}
	jd := ae.Requests[0].Jurisdiction
	if jd == nil || jd.Level != JurisdictionNUTS1 || jd.Param() != ParamAdminLevel2 || jd.Contexts.Get("DE") != "Land des Geburtsorts" {
		t.Fatalf("jurisdiction request %+v", jd)
	}
	q.EvidenceTypeID, q.JurisdictionContext, q.AdminLevel2 = ae.Requests[0].EvidenceType.ID, jd.ContextID, "DE3"
	ts, err := c.DataServices(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	s := ts[0].Services[0]
	if s.PartyID.URN() != "urn:oasis:names:tc:ebcore:partyid-type:unregistered:demo-de-berlin-standesamt" ||
		s.EDMVersion != "oots-edm:v1.0" || s.Provider.Country() != "DE" || s.Provider.Jurisdiction.AdminLevel2 != "DE3" ||
		s.Provider.Names.Get("EN") != "Civil registry office Berlin (demo)" {
		t.Errorf("service %+v", s)
	}
	if s.Preview != PreviewUnknown {
		t.Errorf("preview %v without a preview source, want unknown", s.Preview)
	}
	c.Preview = demo(t)
	c.Cache = nil
	ts, err = c.DataServices(ctx, q)
	if err != nil || ts[0].Services[0].Preview != PreviewNotSupported {
		t.Errorf("preview from the directory: %v %v, want not supported", err, ts[0].Services[0].Preview)
	}
	// FI speaks EDM v2.0.
	fi, err := c.EvidenceTypes(ctx, EvidenceTypesQuery{RequirementID: reqID("proof-of-birth"), Country: "FI"})
	if err != nil {
		t.Fatal(err)
	}
	ts, err = c.DataServices(ctx, DataServicesQuery{Classification: fi[0].EvidenceTypes()[0].Classification, Country: "FI"})
	if err != nil || ts[0].Services[0].EDMVersion != "oots-edm:v2.0" {
		t.Errorf("FI data services: %v %+v", err, ts)
	}
}

func TestServerUnknownQueryAndMethod(t *testing.T) {
	srv, _, _ := demoServer(t)
	for _, tc := range []struct {
		path, queryID string
		code          Code
	}{
		{"/query/eb/rest/search", "urn:fdc:oots:eb:ebxml-regrep:queries:nothing", EBUnknownQuery},
		{"/query/dsd/rest/search", "urn:fdc:oots:dsd:ebxml-regrep:queries:nothing", DSDUnknownQuery},
		{"/rest/search", "", EBUnknownQuery},
	} {
		resp, err := srv.Client().Get(srv.URL + tc.path + "?queryId=" + tc.queryID)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseRequirements(body)
		if CodeOf(err) != tc.code {
			t.Errorf("%s %s: %v, want %s", tc.path, tc.queryID, err, tc.code)
		}
	}
	resp, err := srv.Client().Post(srv.URL+"/rest/search", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST status %d", resp.StatusCode)
	}
}

// TestClientUnavailable covers a directory that is down, failing or slow:
// each gives an UnavailableError naming the service and URL.
func TestClientUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close() // connection refused from now on

	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer failing.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer slow.Close()
	trickle := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(200)
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}))
	defer trickle.Close()

	for _, tc := range []struct {
		name    string
		base    string
		status  int
		timeout bool
	}{
		{"connection refused", down, 0, false},
		{"HTTP 503", failing.URL, 503, false},
		{"slow server times out", slow.URL, 0, true},
		{"trickling answer times out", trickle.URL, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{EBURL: tc.base + "/eb", DSDURL: tc.base + "/dsd", Timeout: 200 * time.Millisecond, Cache: NewCache(CacheConfig{})}
			start := time.Now()
			_, err := c.DataServices(context.Background(), DataServicesQuery{Classification: "x", Country: "LV"})
			var ue *UnavailableError
			if !errors.As(err, &ue) {
				t.Fatalf("want UnavailableError, got %T %v", err, err)
			}
			if ue.Service != DataServiceDirectory || !strings.HasPrefix(ue.URL, tc.base+"/dsd?") || ue.StatusCode != tc.status {
				t.Errorf("error %+v", ue)
			}
			if !strings.Contains(err.Error(), "data service directory unavailable at "+tc.base) {
				t.Errorf("message %q does not name service and URL", err)
			}
			if tc.timeout {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("timeout error %v does not wrap context.DeadlineExceeded", err)
				}
				if time.Since(start) > 3*time.Second {
					t.Errorf("time-out took %v", time.Since(start))
				}
			}
			if c.Cache.Len() != 0 {
				t.Error("an unavailable answer was cached")
			}
		})
	}
	t.Run("caller cancels", func(t *testing.T) {
		c := &Client{EBURL: slow.URL, DSDURL: slow.URL}
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(50 * time.Millisecond); cancel() }()
		_, err := c.Requirements(ctx, RequirementsQuery{Procedure: "R1", Country: "LV"})
		var ue *UnavailableError
		if !errors.As(err, &ue) || ue.Service != EvidenceBroker || !errors.Is(err, context.Canceled) {
			t.Errorf("got %v", err)
		}
	})
}

// TestClientRejectsHostileAnswers: each attack or malformation a directory
// (or something posing as one) could send, and the error it must give.
func TestClientRejectsHostileAnswers(t *testing.T) {
	ok := `<query:QueryResponse xmlns:query="` + regrep.NSQuery + `" status="` + regrep.StatusSuccess + `"/>`
	cases := []struct {
		name   string
		ctype  string
		status int
		body   string
		limit  int64
		want   error
		substr string
	}{
		{"not XML", "application/xml", 200, "hello", 0, xmlsafe.ErrEmpty, ""},
		{"truncated XML", "application/xml", 200, `<query:QueryResponse xmlns:query="` + regrep.NSQuery + `" status="x"><a>`, 0, nil, "malformed xml"},
		{"empty body", "application/xml", 200, "", 0, xmlsafe.ErrEmpty, ""},
		{"XXE external entity", "application/xml", 200, `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`, 0, xmlsafe.ErrDoctype, ""},
		{"billion laughs", "application/xml", 200, `<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>`, 0, xmlsafe.ErrDoctype, ""},
		{"deeply nested elements", "application/xml", 200, strings.Repeat("<a>", 20000) + strings.Repeat("</a>", 20000), 0, etree.ErrMaxDepth, ""},
		{"oversize body", "application/xml", 200, ok + strings.Repeat(" ", 2000), 1000, xmlsafe.ErrTooLarge, ""},
		{"wrong root", "application/xml", 200, `<html><body>login</body></html>`, 0, regrep.ErrNamespace, "query:QueryResponse"},
		{"HTML error page", "text/html", 404, `<html>not found</html>`, 0, nil, "not XML"},
		{"redirect status", "application/xml", 302, ok, 0, nil, "unexpected HTTP status"},
		{"no status", "application/xml", 200, `<query:QueryResponse xmlns:query="` + regrep.NSQuery + `"/>`, 0, regrep.ErrMissing, "@status"},
		{"failure without exception", "application/xml", 200, `<query:QueryResponse xmlns:query="` + regrep.NSQuery + `" status="` + regrep.StatusFailure + `"/>`, 0, regrep.ErrMissing, "rs:Exception"},
		{"unavailable status", "application/xml", 200, `<query:QueryResponse xmlns:query="` + regrep.NSQuery + `" status="` + regrep.StatusUnavailable + `"/>`, 0, ErrStatus, ""},
		{"exception without type", "application/xml", 200, `<query:QueryResponse xmlns:query="` + regrep.NSQuery + `" xmlns:rs="` + regrep.NSRS + `" status="` + regrep.StatusFailure + `"><rs:Exception code="EB:ERR:0001"/></query:QueryResponse>`, 0, regrep.ErrMissing, "xsi:type"},
		{"requirement without identifier", "application/xml", 200, `<query:QueryResponse xmlns:query="` + regrep.NSQuery + `" xmlns:rim="` + regrep.NSRIM + `" xmlns:xsi="` + regrep.NSXSI + `" xmlns:sdg="` + regrep.NSSDG + `" status="` + regrep.StatusSuccess + `"><rim:RegistryObjectList><rim:RegistryObject id="x"><rim:Slot name="Requirement"><rim:SlotValue xsi:type="rim:AnyValueType"><sdg:Requirement><sdg:Name>x</sdg:Name></sdg:Requirement></rim:SlotValue></rim:Slot></rim:RegistryObject></rim:RegistryObjectList></query:QueryResponse>`, 0, regrep.ErrMissing, "sdg:Requirement/sdg:Identifier"},
		{"slot of wrong type", "application/xml", 200, `<query:QueryResponse xmlns:query="` + regrep.NSQuery + `" xmlns:rim="` + regrep.NSRIM + `" xmlns:xsi="` + regrep.NSXSI + `" status="` + regrep.StatusSuccess + `"><rim:RegistryObjectList><rim:RegistryObject id="x"><rim:Slot name="Requirement"><rim:SlotValue xsi:type="rim:StringValueType"><rim:Value>x</rim:Value></rim:SlotValue></rim:Slot></rim:RegistryObject></rim:RegistryObjectList></query:QueryResponse>`, 0, regrep.ErrWrongType, `slot "Requirement"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				if tc.status == 302 {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c := clientFor(srv)
			c.HTTP = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			c.MaxAnswerBytes = tc.limit
			c.Cache = NewCache(CacheConfig{})
			_, err := c.Requirements(context.Background(), RequirementsQuery{Procedure: "R1", Country: "LV"})
			var ae *AnswerError
			if !errors.As(err, &ae) || ae.Service != EvidenceBroker || !strings.HasPrefix(ae.URL, srv.URL) {
				t.Fatalf("want AnswerError naming the service and URL, got %T %v", err, err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v does not wrap %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.substr) {
				t.Errorf("error %q does not mention %q", err, tc.substr)
			}
			if c.Cache.Len() != 0 {
				t.Error("a rejected answer was cached")
			}
		})
	}
}

func TestClientContentLengthOversize(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte("<x/>"))
	}))
	defer srv.Close()
	c := clientFor(srv)
	c.MaxAnswerBytes = 1000
	_, err := c.Requirements(context.Background(), RequirementsQuery{Procedure: "R1", Country: "LV"})
	if !errors.Is(err, xmlsafe.ErrTooLarge) || !strings.Contains(err.Error(), "Content-Length 100000") {
		t.Errorf("got %v", err)
	}
}

func TestClientBadEndpoint(t *testing.T) {
	for _, u := range []string{"", "ftp://x/search", "://bad"} {
		c := &Client{EBURL: u}
		if _, err := c.Requirements(context.Background(), RequirementsQuery{Procedure: "R1", Country: "LV"}); err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
			t.Errorf("endpoint %q: %v", u, err)
		}
	}
}
