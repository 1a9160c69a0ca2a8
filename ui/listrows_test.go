package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/catalogue"
)

// TestListRowsFollowTheirValues: a list's rows show the values they hold
// now when the values change and their number does not. Fyne's list
// redraws its rows only when the number changes. Found by trying the
// app: after "Mark all read" the inbox's three messages kept their "●"
// and bold titles until the app started again. The same held for a
// search with as many results as the last one (its rows named the last
// search's services).
func TestListRowsFollowTheirValues(t *testing.T) {
	w, s, _ := newAppWithService(t, "en")
	ctx := context.Background()
	deliverRequest(t, s) // "Evidence delivered", unread, asks nothing of the user
	if err := s.Inbox.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	test.Tap(navButtons(t, w)[TabInbox])
	inbox := find[*widget.List](w.Content())[0]
	if rows := labels(inbox); !strings.Contains(rows, "●") {
		t.Fatalf("no unread message shown:\n%s", rows)
	}
	tapButton(t, w, "Mark all read")
	if rows := labels(inbox); strings.Contains(rows, "●") {
		t.Errorf("after Mark all read the inbox still shows messages unread:\n%s", rows)
	}
	for _, l := range find[*widget.Label](inbox) {
		if l.TextStyle.Bold {
			t.Errorf("after Mark all read %q is still bold", l.Text)
		}
	}

	test.Tap(navButtons(t, w)[TabServices])
	sc := servicesScreen(t, w)
	sc.delay = 0
	for _, q := range []string{"pension", "vehicle"} { // two results each
		sc.Search.SetText(q) // from one search to the next: as many results
		eventually(t, "the results for "+q, func() bool {
			v, err := s.Catalogue.Results.GetValue(0)
			svc, ok := v.(catalogue.Service)
			return err == nil && ok && s.Catalogue.Results.Length() == 2 && strings.Contains(strings.ToLower(svc.Name.In("en")), q)
		})
		rows := strings.ToLower(labels(sc.Results))
		if strings.Count(rows, q) < 2 {
			t.Errorf("after searching %q the rows show:\n%s", q, rows)
		}
	}
}
