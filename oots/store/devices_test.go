package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestDeviceGrantsRotateAndRevoke: a grant is found by its access and
// refresh hashes; a refresh rotates them once (the same old token a second
// time conflicts); the previous refresh hash still finds the grant (so its
// reuse can be told); revoking one or all of a person's grants ends them
// and leaves other people's alone.
func TestDeviceGrantsRotateAndRevoke(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
			g := DeviceGrant{ID: "g1", Subject: "LV/LV/1", Principal: `{"Subject":"LV/LV/1"}`, Device: "Pixel",
				AccessHash: "a1", AccessExpiresAt: now.Add(15 * time.Minute), RefreshHash: "r1",
				RefreshExpiresAt: now.Add(30 * 24 * time.Hour), CreatedAt: now, RefreshedAt: now}
			other := g
			other.ID, other.Subject, other.AccessHash, other.RefreshHash = "g2", "EE/EE/2", "a2", "r2"
			third := g
			third.ID, third.AccessHash, third.RefreshHash, third.CreatedAt = "g3", "a3", "r3", now.Add(time.Minute)
			for _, x := range []DeviceGrant{g, other, third} {
				if err := s.PutDeviceGrant(ctx, x); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.DeviceGrantByAccess(ctx, "a1")
			if err != nil || got.ID != "g1" || got.Principal != g.Principal || !got.AccessExpiresAt.Equal(g.AccessExpiresAt) || !got.RevokedAt.IsZero() {
				t.Fatalf("by access: %+v %v", got, err)
			}
			next := DeviceGrant{AccessHash: "a1b", AccessExpiresAt: now.Add(time.Hour), RefreshHash: "r1b", RefreshExpiresAt: now.Add(31 * 24 * time.Hour), RefreshedAt: now.Add(time.Hour)}
			if err := s.RotateDeviceGrant(ctx, "g1", "r1", next); err != nil {
				t.Fatal(err)
			}
			if err := s.RotateDeviceGrant(ctx, "g1", "r1", next); !errors.Is(err, ErrConflict) {
				t.Fatalf("second rotation with the same token: %v, want ErrConflict", err)
			}
			if _, err := s.DeviceGrantByAccess(ctx, "a1"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("the old access token still finds the grant: %v", err)
			}
			if got, err := s.DeviceGrantByRefresh(ctx, "r1"); err != nil || got.ID != "g1" || got.PreviousRefreshHash != "r1" || got.RefreshHash != "r1b" {
				t.Fatalf("by previous refresh: %+v %v", got, err)
			}
			list, err := s.DeviceGrants(ctx, "LV/LV/1")
			if err != nil || len(list) != 2 || list[0].ID != "g3" || list[1].ID != "g1" {
				t.Fatalf("list: %+v %v", list, err)
			}
			if err := s.RevokeDeviceGrant(ctx, "EE/EE/2", "g1", now); !errors.Is(err, ErrNotFound) {
				t.Fatalf("another person revokes g1: %v", err)
			}
			if err := s.RevokeDeviceGrant(ctx, "LV/LV/1", "g1", now); err != nil {
				t.Fatal(err)
			}
			if err := s.RotateDeviceGrant(ctx, "g1", "r1b", next); !errors.Is(err, ErrConflict) {
				t.Fatalf("refreshing a revoked grant: %v", err)
			}
			if n, err := s.RevokeDeviceGrants(ctx, "LV/LV/1", now); err != nil || n != 1 {
				t.Fatalf("revoke all: %d %v, want 1 (g3)", n, err)
			}
			if list, _ := s.DeviceGrants(ctx, "LV/LV/1"); len(list) != 0 {
				t.Fatalf("after sign-out everywhere: %+v", list)
			}
			if list, _ := s.DeviceGrants(ctx, "EE/EE/2"); len(list) != 1 {
				t.Fatalf("the other person's grant: %+v", list)
			}
		})
	}
}
