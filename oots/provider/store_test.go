package provider

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
)

func testStore(t *testing.T) (*store, *preview, time.Time) {
	t.Helper()
	s, err := openStore(context.Background(), filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.close() })
	now := time.Unix(1_800_000_000, 0)
	p := &preview{TokenHash: hashToken("tok"), ExchangeID: "x", Requester: "LV", ProviderURN: "urn:p", EvidenceType: "c",
		Subject: "s", Previewer: "s", Request: []byte("<r/>"), Created: now, Expires: now.Add(time.Minute)}
	if _, err := s.insertOnce(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return s, p, now
}

// TestStoreTransitions: each step of a preview happens once and in order.
func TestStoreTransitions(t *testing.T) {
	ctx := context.Background()
	s, p, now := testStore(t)
	steps := []struct {
		name string
		do   func() error
		ok   bool
	}{
		{"decide before view", func() error { return s.decide(ctx, p.TokenHash, true, now, time.Minute) }, false},
		{"deliver before approval", func() error { return s.markDelivered(ctx, p.TokenHash, "m1", now) }, false},
		{"view", func() error { return s.markViewed(ctx, p.TokenHash, now, "en") }, true},
		{"view again (the requester lost the answer), in Latvian", func() error { return s.markViewed(ctx, p.TokenHash, now, "lv") }, true},
		{"approve", func() error { return s.decide(ctx, p.TokenHash, true, now.Add(30*time.Second), time.Minute) }, true},
		{"view after the decision", func() error { return s.markViewed(ctx, p.TokenHash, now, "en") }, false},
		{"replayed approval", func() error { return s.decide(ctx, p.TokenHash, true, now, time.Minute) }, false},
		{"refusal after approval", func() error { return s.decide(ctx, p.TokenHash, false, now, time.Minute) }, false},
		{"deliver within the approval's ttl", func() error { return s.markDelivered(ctx, p.TokenHash, "m1", now.Add(80*time.Second)) }, true},
		{"same request again (redelivery)", func() error { return s.markDelivered(ctx, p.TokenHash, "m1", now.Add(2*time.Hour)) }, true},
		{"another request", func() error { return s.markDelivered(ctx, p.TokenHash, "m2", now) }, false},
	}
	for _, st := range steps {
		err := st.do()
		if st.ok != (err == nil) || (err != nil && !errors.Is(err, errState)) {
			t.Fatalf("%s: err = %v, want ok %v", st.name, err, st.ok)
		}
	}
	got, err := s.get(ctx, p.TokenHash)
	if err != nil || got.State != stateDelivered || got.DeliveredBy != "m1" || got.Language != "lv" {
		t.Fatalf("final: %+v %v", got, err)
	}
	if _, err := s.get(ctx, hashToken("other")); !errors.Is(err, errNoPreview) {
		t.Fatalf("unknown token: %v", err)
	}
}

// TestStoreExpiry: an expired preview can be neither viewed nor decided,
// and an approval past its ttl is not delivered.
func TestStoreExpiry(t *testing.T) {
	ctx := context.Background()
	s, p, now := testStore(t)
	if err := s.markViewed(ctx, p.TokenHash, now.Add(time.Minute), "en"); !errors.Is(err, errState) {
		t.Fatalf("view at expiry: %v", err)
	}
	if err := s.markViewed(ctx, p.TokenHash, now, "en"); err != nil {
		t.Fatal(err)
	}
	if err := s.decide(ctx, p.TokenHash, true, now.Add(2*time.Minute), time.Minute); !errors.Is(err, errState) {
		t.Fatalf("decision after expiry: %v", err)
	}
	if err := s.decide(ctx, p.TokenHash, true, now, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.markDelivered(ctx, p.TokenHash, "m1", now.Add(2*time.Minute)); !errors.Is(err, errState) {
		t.Fatalf("delivery after the approval's ttl: %v", err)
	}
}

// TestStoreDeliversOnceUnderRace: second requests for one approval
// arriving on both listeners at once: exactly one takes the evidence.
func TestStoreDeliversOnceUnderRace(t *testing.T) {
	ctx := context.Background()
	s, p, now := testStore(t)
	if err := s.markViewed(ctx, p.TokenHash, now, "en"); err != nil {
		t.Fatal(err)
	}
	if err := s.decide(ctx, p.TokenHash, true, now, time.Minute); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.markDelivered(ctx, p.TokenHash, fmt.Sprint("m", i), now)
			if err != nil && !errors.Is(err, errState) {
				t.Error(err)
			}
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d requests took the evidence, want 1", wins)
	}
}

// TestStoreOfAnOlderVersionKeepsLanguages: a preview database made before
// previews kept the language they were shown in gets the column when
// opened; its previews read with no language (their evidence is released
// in English, as it was shown) and new views keep theirs.
func TestStoreOfAnOlderVersionKeepsLanguages(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", sqlitedsn.For(path, "FULL"))
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(storeSchema, ",\n\tlanguage       TEXT NOT NULL DEFAULT ''", "", 1)
	if old == storeSchema {
		t.Fatal("the test no longer knows the older schema")
	}
	if _, err := db.Exec(old); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO previews(token_hash, exchange_id, requester, provider_urn, evidence_type, subject, previewer, request, state, created_at, expires_at)
		VALUES('h', 'x', 'LV', 'urn:p', 'c', 's', 's', x'3c722f3e', 'viewed', 1, 9000000000000000000)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for range 2 { // and opened again, with the column there
		s, err := openStore(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.get(ctx, "h"); err != nil || got.State != stateViewed || got.Language != "" {
			t.Fatalf("the older preview: %+v %v", got, err)
		}
		s.close()
	}
	s, err := openStore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if err := s.markViewed(ctx, "h", time.Unix(2, 0), "lv"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.get(ctx, "h"); err != nil || got.Language != "lv" {
		t.Fatalf("viewed again: %+v %v", got, err)
	}
}
