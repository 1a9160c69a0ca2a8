package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestMandatesAreKeptListedAndRevokedOnce(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
			m := Mandate{ID: "m1", Representative: "LV/LV/2", RepresentativeName: "Līga Kalniņa", Represented: "LV/LV/1", RepresentedName: "Jānis Bērziņš",
				Services: []string{"lv-ehic", "lv-birth-certificate"}, ValidFrom: now, ValidUntil: now.AddDate(1, 0, 0), CreatedBy: "LV/LV/1", CreatedAt: now}
			if err := s.PutMandate(ctx, m); err != nil {
				t.Fatal(err)
			}
			all := m
			all.ID, all.Services, all.Represented, all.CreatedBy, all.CreatedAt = "m2", nil, "LV/LV/40003012345", "LV/LV/9", now.Add(time.Minute)
			if err := s.PutMandate(ctx, all); err != nil {
				t.Fatal(err)
			}
			got, err := s.Mandate(ctx, "m1")
			if err != nil || !reflect.DeepEqual(*got, m) {
				t.Fatalf("Mandate = %+v, %v; want %+v", got, err, m)
			}
			list, err := s.MandatesOf(ctx, "LV/LV/2")
			if err != nil || len(list) != 2 || list[0].ID != "m2" || list[0].Services != nil {
				t.Fatalf("MandatesOf(representative) = %+v, %v", list, err)
			}
			if list, _ := s.MandatesOf(ctx, "LV/LV/1"); len(list) != 1 || list[0].ID != "m1" {
				t.Fatalf("MandatesOf(represented) = %+v", list)
			}
			if list, _ := s.MandatesOf(ctx, "LV/LV/9"); len(list) != 1 || list[0].ID != "m2" {
				t.Fatalf("MandatesOf(registrant) = %+v", list)
			}
			if err := s.RevokeMandate(ctx, "m1", "LV/LV/1", now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := s.RevokeMandate(ctx, "m1", "LV/LV/1", now.Add(2*time.Hour)); !errors.Is(err, ErrConflict) {
				t.Fatalf("second revocation: %v, want ErrConflict", err)
			}
			if err := s.RevokeMandate(ctx, "nope", "LV/LV/1", now); !errors.Is(err, ErrNotFound) {
				t.Fatalf("revoking an unknown mandate: %v, want ErrNotFound", err)
			}
			got, _ = s.Mandate(ctx, "m1")
			if !got.RevokedAt.Equal(now.Add(time.Hour)) || got.RevokedBy != "LV/LV/1" {
				t.Fatalf("revoked mandate %+v", got)
			}
		})
	}
}
