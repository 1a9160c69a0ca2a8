package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRoleAssignments(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
			if _, err := s.Role(ctx, "LV/LV/1"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Role before any assignment: %v", err)
			}
			clerk := RoleAssignment{Subject: "LV/LV/1", Role: "clerk", Institution: "LV-RUR", AssignedBy: "LV/LV/admin", AssignedAt: now}
			if err := s.PutRole(ctx, clerk); err != nil {
				t.Fatal(err)
			}
			if err := s.PutRole(ctx, RoleAssignment{Subject: "EE/EE/2", Role: "administrator", AssignedBy: "LV/LV/admin", AssignedAt: now}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Role(ctx, "LV/LV/1")
			if err != nil || *got != clerk {
				t.Fatalf("Role = %+v, %v; want %+v", got, err, clerk)
			}
			moved := clerk
			moved.Institution, moved.AssignedAt = "LV-VID", now.Add(time.Hour)
			if err := s.PutRole(ctx, moved); err != nil {
				t.Fatal(err)
			}
			list, err := s.Roles(ctx)
			if err != nil || len(list) != 2 || list[0].Subject != "EE/EE/2" || list[1] != moved {
				t.Fatalf("Roles = %+v, %v", list, err)
			}
			if err := s.DeleteRole(ctx, "LV/LV/1", time.Now()); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteRole(ctx, "LV/LV/1", time.Now()); !errors.Is(err, ErrNotFound) {
				t.Fatalf("second delete: %v", err)
			}
			if _, err := s.Role(ctx, "LV/LV/1"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("Role after delete: %v", err)
			}
		})
	}
}
