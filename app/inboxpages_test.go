package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/api"
)

// listedIDs are the ids of the inbox's messages as listed.
func listedIDs(t *testing.T, in *Inbox) string {
	t.Helper()
	values, _ := in.Messages.Get()
	var ids []string
	for _, v := range values {
		ids = append(ids, v.(Message).ID)
	}
	return strings.Join(ids, " ")
}

// TestInboxListsOlderMessagesWhenAsked: the service keeps eight messages
// and answers three at a time. The inbox lists the newest three and says
// more are there; asked twice, it lists all eight in order and says no
// more. A new message then comes: the reload lists it first and keeps
// the older ones listed. Marking all read marks the older ones too.
func TestInboxListsOlderMessagesWhenAsked(t *testing.T) {
	test.NewTempApp(t)
	box := &fakeInbox{pageSize: 3}
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	message := func(i int) api.InboxItem {
		return api.InboxItem{ID: fmt.Sprintf("m%d", i), RequestID: "r1", Event: api.EventStatusPosted, State: "sent", Detail: fmt.Sprintf("Message %d", i),
			From: api.Sender{Kind: api.SenderInstitution}, At: t0.Add(time.Duration(i) * time.Minute)}
	}
	for i := 1; i <= 8; i++ {
		box.add(message(i))
	}
	in := NewInbox(box, quiet())
	ctx := context.Background()
	more := func() bool { m, _ := in.More.Get(); return m }
	if err := in.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := listedIDs(t, in); got != "m8 m7 m6" || !more() {
		t.Fatalf("first listed %q, more %v", got, more())
	}
	for range 2 {
		if err := in.LoadOlder(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := listedIDs(t, in); got != "m8 m7 m6 m5 m4 m3 m2 m1" || more() {
		t.Fatalf("after asking twice for older: %q, more %v", got, more())
	}
	if err := in.LoadOlder(ctx); err != nil || listedIDs(t, in) != "m8 m7 m6 m5 m4 m3 m2 m1" {
		t.Fatalf("asking once more: %v, %q", err, listedIDs(t, in))
	}

	box.add(message(9))
	if err := in.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := listedIDs(t, in); got != "m9 m8 m7 m6 m5 m4 m3 m2 m1" || more() {
		t.Fatalf("after a new message: %q, more %v", got, more())
	}
	if err := in.MarkAllRead(ctx); err != nil {
		t.Fatal(err)
	}
	values, _ := in.Messages.Get()
	for _, v := range values {
		if m := v.(Message); !m.Read {
			t.Errorf("%s is unread after marking all read", m.ID)
		}
	}
	if unread, _ := in.Unread.Get(); unread != 0 {
		t.Errorf("%d unread after marking all read", unread)
	}
}
