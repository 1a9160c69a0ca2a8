package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestInboxKeepsItemsPerPersonWithReadState: the items stored with a
// request's change are listed for their owner only, newest first, with
// the unread count; marking read is per person; an item that awaits the
// person's action goes when the request moves on, news stays.
func TestInboxKeepsItemsPerPersonWithReadState(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	const me, other = "LV/LV/010101-12345", "EE/EE/48504152718"
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			r := RequestRecord{ID: "r1", Owner: me, ServiceID: "lv-ehic", State: "preview_required", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			preview := InboxItem{
				ID: "m1", Owner: me, RequestID: "r1", ServiceID: "lv-ehic", Requirement: "req-1",
				Evidence: map[string]string{"lv": "Dzimšanas apliecība", "en": "Birth certificate"},
				Event:    "preview_requested", State: "preview_required", SenderKind: "provider", SenderID: "LV-DZS",
				SenderNames: map[string]string{"lv": "Dzimtsarakstu nodaļa"}, Awaits: "preview_required", At: t0,
			}
			if err := s.CreateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "preview_requested", State: "preview_required"}}, Effects{Inbox: []InboxItem{preview}}); err != nil {
				t.Fatal(err)
			}
			theirs := RequestRecord{ID: "r2", Owner: other, ServiceID: "lv-ehic", State: "failed", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateRequest(ctx, theirs, []TimelineEntry{{At: t0, Event: "provider_error", State: "failed"}},
				Effects{Inbox: []InboxItem{{ID: "m9", Owner: other, RequestID: "r2", Event: "provider_error", State: "failed", At: t0}}}); err != nil {
				t.Fatal(err)
			}
			r.Version, r.UpdatedAt = 1, t0.Add(time.Minute)
			if err := s.UpdateRequest(ctx, r, []TimelineEntry{{At: r.UpdatedAt, Event: "status_posted", State: "preview_required", Detail: "We need it by Friday."}},
				Effects{Inbox: []InboxItem{{ID: "m2", Owner: me, RequestID: "r1", Event: "status_posted", State: "preview_required", Detail: "We need it by Friday.", SenderKind: "institution", At: r.UpdatedAt}}}); err != nil {
				t.Fatal(err)
			}
			page, err := s.Inbox(ctx, me, "")
			items, unread := page.Items, page.Unread
			if err != nil || unread != 2 || len(items) != 2 || items[0].ID != "m2" || items[1].ID != "m1" {
				t.Fatalf("inbox = %+v, unread %d, %v; want m2, m1 and 2 unread", items, unread, err)
			}
			if got := items[1]; got.Evidence["lv"] != "Dzimšanas apliecība" || got.SenderNames["lv"] != "Dzimtsarakstu nodaļa" || got.SenderID != "LV-DZS" || !got.At.Equal(t0) || !got.ReadAt.IsZero() {
				t.Fatalf("read back %+v", got)
			}

			if err := s.MarkInboxRead(ctx, other, "m1", t0); !errors.Is(err, ErrNotFound) {
				t.Fatalf("another person marks my message read: %v, want ErrNotFound", err)
			}
			if err := s.MarkInboxRead(ctx, me, "m2", t0.Add(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if err := s.MarkInboxRead(ctx, me, "m2", t0.Add(3*time.Minute)); err != nil {
				t.Fatalf("marking read again: %v", err)
			}
			page, _ = s.Inbox(ctx, me, "")
			items, unread = page.Items, page.Unread
			if unread != 1 || !items[0].ReadAt.Equal(t0.Add(2*time.Minute)) {
				t.Fatalf("after marking m2 read: unread %d, %+v", unread, items[0])
			}

			// The preview is decided: "ready to preview" is stale and goes,
			// the clerk's message stays.
			r.Version, r.State, r.UpdatedAt = 2, "approved", t0.Add(4*time.Minute)
			if err := s.UpdateRequest(ctx, r, []TimelineEntry{{At: r.UpdatedAt, Event: "preview_approved", State: "approved"}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			page, _ = s.Inbox(ctx, me, "")
			items, unread = page.Items, page.Unread
			if len(items) != 1 || items[0].ID != "m2" || unread != 0 {
				t.Fatalf("after the request moved on: %+v, unread %d; want only m2, read", items, unread)
			}
			if n, err := s.MarkAllInboxRead(ctx, other, t0); err != nil || n != 1 {
				t.Fatalf("mark all read: %d, %v", n, err)
			}
			if page, _ := s.Inbox(ctx, other, ""); page.Unread != 0 {
				t.Fatalf("the other person still has %d unread", page.Unread)
			}
		})
	}
}

// TestInboxPagesBackToTheFirstItem: 450 items, many of them at the same
// instant, are read a page at a time, each page from where the one before
// said the next starts: every item comes once, newest first, and the last
// page says nothing more follows, also when the last item of a page left
// the inbox before the next was read (an item that asked the person to
// act goes when they have). A page from a string that is not such a place
// is ErrBadCursor.
func TestInboxPagesBackToTheFirstItem(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	const me, other = "LV/LV/010101-12345", "EE/EE/48504152718"
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			var items []InboxItem
			for i := range 450 {
				// Three items share each instant; ids are not in time order.
				items = append(items, InboxItem{ID: fmt.Sprintf("m%03d", (i*7)%450), Owner: me, RequestID: "r1", Event: "status_posted", State: "sent", At: t0.Add(time.Duration(i/3) * time.Second)})
			}
			r := RequestRecord{ID: "r1", Owner: me, ServiceID: "lv-ehic", State: "sent", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "status_posted", State: "sent"}}, Effects{Inbox: items}); err != nil {
				t.Fatal(err)
			}
			theirs := RequestRecord{ID: "r2", Owner: other, ServiceID: "lv-ehic", State: "sent", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateRequest(ctx, theirs, []TimelineEntry{{At: t0, Event: "status_posted", State: "sent"}},
				Effects{Inbox: []InboxItem{{ID: "x1", Owner: other, RequestID: "r2", Event: "status_posted", State: "sent", At: t0}}}); err != nil {
				t.Fatal(err)
			}
			var got []InboxItem
			pages, before := 0, ""
			for {
				page, err := s.Inbox(ctx, me, before)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if page.Unread != 450-min(pages-1, 1) || len(page.Items) > InboxPageSize {
					t.Fatalf("page %d: %d items, %d unread", pages, len(page.Items), page.Unread)
				}
				got = append(got, page.Items...)
				if page.Next == "" {
					break
				}
				before = page.Next
				if pages == 1 { // the page's last item leaves the inbox
					if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM inbox WHERE id = ?`), page.Items[len(page.Items)-1].ID); err != nil {
						t.Fatal(err)
					}
				}
			}
			if pages != 3 || len(got) != 450 {
				t.Fatalf("%d pages of %d items, want 3 of 450", pages, len(got))
			}
			seen := map[string]bool{}
			for i, it := range got {
				if seen[it.ID] {
					t.Fatalf("%s listed twice", it.ID)
				}
				seen[it.ID] = true
				if i > 0 && (it.At.After(got[i-1].At) || it.At.Equal(got[i-1].At) && it.ID > got[i-1].ID) {
					t.Fatalf("item %d (%s at %v) is newer than the one before it (%s at %v)", i, it.ID, it.At, got[i-1].ID, got[i-1].At)
				}
			}
			for _, before := range []string{"x1", "m999", inboxCursor("yesterday", "m1"), inboxCursor(formatTime(t0), "")} {
				if _, err := s.Inbox(ctx, me, before); !errors.Is(err, ErrBadCursor) {
					t.Errorf("a page before %q: %v, want ErrBadCursor", before, err)
				}
			}
		})
	}
}

// FuzzInboxCursor: the before of GET /v1/inbox comes from outside. Any
// string parses or is ErrBadCursor, never a panic; what parses is a time
// and an id that make the same place again.
func FuzzInboxCursor(f *testing.F) {
	f.Add(inboxCursor("2026-12-07T10:00:00.000000Z", "01a25002-f5c4-704e-8717-3a57d73e65fc"))
	f.Add("")
	f.Add("m999")
	f.Add(inboxCursor("2026-12-07T10:00:00.000000Z", ""))
	f.Fuzz(func(t *testing.T, c string) {
		at, id, err := parseInboxCursor(c)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) {
				t.Fatalf("%q: %v", c, err)
			}
			return
		}
		if at2, id2, err := parseInboxCursor(inboxCursor(at, id)); err != nil || at2 != at || id2 != id {
			t.Fatalf("%q: (%q, %q) made again is (%q, %q), %v", c, at, id, at2, id2, err)
		}
	})
}
