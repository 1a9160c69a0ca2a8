package client_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// Tokens of the people in startServer's service.
const (
	janis = "t-janis"
	ieva  = "t-ieva"
	clerk = "t-clerk"
)

// startServer starts a real exchange service (with its embedded demo
// member state) for two citizens and a clerk.
func startServer(t *testing.T) *exchange.Server {
	t.Helper()
	srv, err := exchange.Start(context.Background(), exchange.Config{
		Network: demonet.Embedded{},
		DataDir: t.TempDir(),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth: exchange.BearerTokens{
			janis: exchange.DemoCitizen(),
			ieva:  {Subject: "LV/LV/020285-54321"},
			clerk: exchange.DemoClerk(),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return srv
}

// waitState re-reads request id until it is in state, or fails the test
// after 20 s.
func waitState(t *testing.T, c *client.Client, id, state string) *api.Request {
	t.Helper()
	return waitStateWithin(t, c, id, state, 20*time.Second)
}

// waitStateWithin is waitState with its own time limit.
func waitStateWithin(tb testing.TB, c *client.Client, id, state string, within time.Duration) *api.Request {
	tb.Helper()
	deadline := time.Now().Add(within)
	for {
		r, err := c.Request(context.Background(), id)
		if err != nil {
			tb.Fatal(err)
		}
		if r.State == state {
			return r
		}
		if time.Now().After(deadline) {
			tb.Fatalf("request %s is %s (%s), not %s, after %v", id, r.State, r.Problem, state, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// deliver takes a new birth-certificate request through explicit request,
// preview and approval to delivered.
func deliver(t *testing.T, c *client.Client) *api.Request {
	t.Helper()
	ctx := context.Background()
	r := createBirthRequest(t, c)
	if _, err := c.GiveExplicitRequest(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	waitState(t, c, r.ID, "preview_required")
	if _, err := c.OpenPreview(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DecidePreview(ctx, r.ID, "approve"); err != nil {
		t.Fatal(err)
	}
	r = waitState(t, c, r.ID, "delivered")
	if len(r.Evidence) == 0 {
		t.Fatalf("delivered without evidence: %+v", r)
	}
	return r
}

// TestEvidenceDownloadIsTheDeliveredDocument: the downloaded bytes are the
// delivered document (its SHA-256 and size), and nobody else gets them.
func TestEvidenceDownloadIsTheDeliveredDocument(t *testing.T) {
	srv := startServer(t)
	ctx := context.Background()
	c := client.New(srv.URL()).WithToken(janis)
	r := deliver(t, c)
	want := r.Evidence[0]
	if docs, err := c.Documents(ctx); err != nil || len(docs) != 1 || docs[0].RequestID != r.ID || docs[0].File != want {
		t.Fatalf("Documents = %+v, %v; want the one delivered", docs, err)
	}

	doc, err := c.Evidence(ctx, r.ID, want.Index)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(doc.Body)
	doc.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != want.SHA256 || int64(len(data)) != want.Size {
		t.Fatalf("downloaded %d bytes with sha256 %x, want %d bytes with %s", len(data), sum, want.Size, want.SHA256)
	}
	if doc.ContentType != want.ContentType || doc.Size != want.Size {
		t.Fatalf("document announced as %q, %d bytes; want %q, %d", doc.ContentType, doc.Size, want.ContentType, want.Size)
	}

	other := client.New(srv.URL()).WithToken(ieva)
	if _, err := other.Evidence(ctx, r.ID, want.Index); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("another citizen downloading: %v, want not found", err)
	}
	if _, err := c.Evidence(ctx, r.ID, len(r.Evidence)); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("a document past the last: %v, want not found", err)
	}
	var apiErr *client.APIError
	if _, err := client.New(srv.URL()).Evidence(ctx, r.ID, 0); !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized || apiErr.Code != api.CodeUnauthorized {
		t.Fatalf("without a token: %v, want 401 unauthorized", err)
	}
}

// TestPostStatusIsForClerks: a clerk's message lands on the request's
// timeline; a citizen's post is forbidden, an empty one invalid.
func TestPostStatusIsForClerks(t *testing.T) {
	srv := startServer(t)
	ctx := context.Background()
	c := client.New(srv.URL()).WithToken(janis)
	r := createBirthRequest(t, c)
	var apiErr *client.APIError
	if _, err := c.PostStatus(ctx, r.ID, "self-approved"); !errors.As(err, &apiErr) || apiErr.Status != http.StatusForbidden {
		t.Fatalf("a citizen posting status: %v, want 403", err)
	}
	desk := client.New(srv.URL()).WithToken(clerk)
	if _, err := desk.PostStatus(ctx, r.ID, "   "); !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest {
		t.Fatalf("an empty message: %v, want 400", err)
	}
	out, err := desk.PostStatus(ctx, r.ID, "Your application is being reviewed.")
	if err != nil {
		t.Fatal(err)
	}
	last := out.Timeline[len(out.Timeline)-1]
	if last.Event != "status_posted" || last.Detail != "Your application is being reviewed." {
		t.Fatalf("last timeline step %+v", last)
	}
	if _, err := desk.PostStatus(ctx, "no-such-request", "hello"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("unknown request: %v, want not found", err)
	}
}

// TestLedgerExportsAndCalendar: the ledger comes as JSON and CSV with the
// caller's explicit request in it; the calendar lists an open request.
func TestLedgerExportsAndCalendar(t *testing.T) {
	srv := startServer(t)
	ctx := context.Background()
	c := client.New(srv.URL()).WithToken(janis)
	r, err := c.GiveExplicitRequest(ctx, createBirthRequest(t, c).ID)
	if err != nil {
		t.Fatal(err)
	}

	var js bytes.Buffer
	if err := c.ExportLedger(ctx, "json", &js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Person  string `json:"person"`
		Entries []struct {
			Action    string `json:"action"`
			RequestID string `json:"request_id"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatalf("ledger JSON: %v\n%s", err, js.String())
	}
	found := false
	for _, e := range doc.Entries {
		found = found || (e.Action == "explicit_request_given" && e.RequestID == r.ID)
	}
	if doc.Person != exchange.DemoCitizen().Subject || !found {
		t.Fatalf("ledger JSON lacks the explicit request:\n%s", js.String())
	}

	var cs bytes.Buffer
	if err := c.ExportLedger(ctx, "csv", &cs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&cs).ReadAll()
	if err != nil || len(rows) < 2 || !strings.Contains(strings.Join(rows[0], ","), "action") {
		t.Fatalf("ledger CSV: %v, %q", err, rows)
	}
	if !slices.Contains(flatten(rows), r.ID) {
		t.Fatalf("ledger CSV lacks request %s: %q", r.ID, rows)
	}

	var apiErr *client.APIError
	if err := c.ExportLedger(ctx, "xml", io.Discard); !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest {
		t.Fatalf("format xml: %v, want 400", err)
	}
	var other bytes.Buffer
	if err := client.New(srv.URL()).WithToken(ieva).ExportLedger(ctx, "json", &other); err != nil || strings.Contains(other.String(), r.ID) {
		t.Fatalf("another citizen's ledger: %v\n%s", err, other.String())
	}

	var ics bytes.Buffer
	if err := c.Calendar(ctx, &ics); err != nil {
		t.Fatal(err)
	}
	text := ics.String()
	if !strings.HasPrefix(text, "BEGIN:VCALENDAR\r\n") || !strings.Contains(text, "UID:"+r.ID) || !strings.HasSuffix(text, "END:VCALENDAR\r\n") {
		t.Fatalf("calendar:\n%s", text)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// createBirthRequest starts a birth-record request of c's citizen.
func createBirthRequest(t testing.TB, c *client.Client) *api.Request {
	t.Helper()
	ctx := context.Background()
	svc, err := c.Service(ctx, "lv-birth-certificate")
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.CreateRequest(ctx, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
