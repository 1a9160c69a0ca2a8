package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// TestClerkStepsKeepTheirTimeAndInstitution: a clerk's message posted
// hours after the last change of the request is on the timeline, in the
// ledger and on the event stream at the time it was posted (it was once
// stamped with the request's last change), and names the clerk's
// institution.
func TestClerkStepsKeepTheirTimeAndInstitution(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	q := newTestRequests(t, &now)
	citizen := DemoCitizen()
	r, _, err := q.Start(ctx, citizen, api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: "https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba", Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	stream := attachStream(t, q.hub, citizen.Subject)
	now = now.Add(3*time.Hour + 17*time.Minute)
	clerk := Principal{Subject: "LV/LV/230388-11111", Role: RoleClerk, Institution: "LV-DZS"}
	out, err := q.PostStatus(ctx, clerk, r.ID, api.StatusChange{Message: "Received; we are checking it."})
	if err != nil {
		t.Fatal(err)
	}
	last := out.Timeline[len(out.Timeline)-1]
	if !last.At.Equal(now) {
		t.Fatalf("the message is stamped %s, posted at %s", last.At, now)
	}
	if last.From == nil || last.From.ID != "LV-DZS" || last.From.Name.In("lv") != "Dzimtsarakstu nodaļa" {
		t.Fatalf("the message is from %+v", last.From)
	}
	if first := out.Timeline[0]; first.From != nil {
		t.Fatalf("a step of the service names an institution: %+v", first)
	}
	if e, err := stream.event(); err != nil || !e.At.Equal(now) || e.From == nil || e.From.ID != "LV-DZS" || e.Detail != "Received; we are checking it." {
		t.Fatalf("the event: %+v, %v", e, err)
	}
	var export bytes.Buffer
	if err := q.ledger.ExportJSON(ctx, &export, citizen.Subject); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Entries []struct {
			Time   time.Time `json:"time"`
			Action string    `json:"action"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(export.Bytes(), &got); err != nil || len(got.Entries) == 0 {
		t.Fatalf("ledger export: %v", err)
	}
	if e := got.Entries[len(got.Entries)-1]; e.Action != api.EventStatusPosted || !e.Time.Equal(now) {
		t.Fatalf("the ledger's last entry: %s at %s", e.Action, e.Time)
	}
}
