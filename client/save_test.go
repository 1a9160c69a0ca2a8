package client_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestSaveEvidenceWritesTheDeliveredDocument: SaveEvidence writes the
// delivered bytes to the file (documents encrypted at rest), a Range
// request gets the asked bytes, and a failed save leaves no file.
func TestSaveEvidenceWritesTheDeliveredDocument(t *testing.T) {
	srv, err := exchange.Start(context.Background(), exchange.Config{
		Network: demonet.Embedded{}, DataDir: t.TempDir(),
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth:        exchange.BearerTokens{janis: exchange.DemoCitizen(), ieva: {Subject: "LV/LV/020285-54321"}},
		EvidenceKey: bytes.Repeat([]byte{9}, 32),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	ctx := context.Background()
	c := client.New(srv.URL()).WithToken(janis)
	want := deliver(t, c).Evidence[0]
	r, _ := c.Requests(ctx)
	id := r[0].ID

	path := filepath.Join(t.TempDir(), "evidence.pdf")
	var calls int
	saved, err := c.SaveEvidence(ctx, id, want.Index, path, func(done, total int64) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if saved.SHA256 != want.SHA256 || hex.EncodeToString(sum[:]) != want.SHA256 || saved.Size != want.Size || calls == 0 {
		t.Fatalf("saved %+v (file sha256 %x, %d progress calls), want %d bytes with %s", saved, sum, calls, want.Size, want.SHA256)
	}

	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/v1/requests/"+id+"/evidence/0", nil)
	req.Header.Set("Authorization", "Bearer "+janis)
	req.Header.Set("Range", "bytes=3-9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, data[3:10]) {
		t.Fatalf("Range bytes=3-9: %d %q, want 206 %q", resp.StatusCode, part, data[3:10])
	}

	other := filepath.Join(t.TempDir(), "other.pdf")
	if _, err := client.New(srv.URL()).WithToken(ieva).SaveEvidence(ctx, id, 0, other, nil); err == nil {
		t.Fatal("another citizen saved the document")
	}
	if entries, _ := os.ReadDir(filepath.Dir(other)); len(entries) != 0 {
		t.Fatalf("a failed save left %v behind", entries)
	}
}

// TestEvidenceOverThePolicyEndsTheRequest: an answer larger than the
// service's MaxEvidenceSize ends the request with the reason, and the
// provider is not made to send it again.
func TestEvidenceOverThePolicyEndsTheRequest(t *testing.T) {
	srv, err := exchange.Start(context.Background(), exchange.Config{
		Network: demonet.Embedded{}, DataDir: t.TempDir(),
		Auth:            exchange.BearerTokens{janis: exchange.DemoCitizen()},
		MaxEvidenceSize: 16, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	ctx := context.Background()
	c := client.New(srv.URL()).WithToken(janis)
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
	got := waitState(t, c, r.ID, "failed")
	if !strings.Contains(got.Problem, "more than the 16 bytes this service accepts") || len(got.Evidence) != 0 {
		t.Fatalf("failed request: problem %q, evidence %v", got.Problem, got.Evidence)
	}
}
