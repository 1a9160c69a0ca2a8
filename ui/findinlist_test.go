package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestALongHistoryCanBeSearched: Jānis, with 1,553 requests and 543
// documents, scrolled through 50 "Certificate of residence" rows to
// find his birth record, with nothing to search by (found as a
// long-time citizen). Past a screen's worth of rows the requests and the
// wallet offer to find by what their rows show, diacritics optional; a
// found row opens its own request; words nothing has say so.
func TestALongHistoryCanBeSearched(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	w, s := newApp(t, "en")
	test.Tap(navButtons(t, w)[TabRequests])
	rs := find[*RequestsScreen](w.Content())[0]
	if e := find[*widget.Entry](rs); len(e) != 0 {
		t.Fatal("with no requests the requests screen shows a search")
	}
	birth := deliverRequest(t, s) // the birth record, delivered
	// Two certificates of residence: one request per evidence and country.
	startRequest(t, s, "lv-change-of-address", "LT")
	for _, service := range []string{"lv-change-of-address", "ee-proof-of-residence", "lv-vehicle-registration", "lv-pension-claim", "lv-ehic", "lv-study-grant", "lv-income-tax-return"} {
		startRequest(t, s, service, "EE")
	}
	eventually(t, "nine requests", func() bool { return s.Requests.List.Length() == 9 })
	var finder []*widget.Entry
	eventually(t, "the search over nine requests", func() bool {
		finder = find[*widget.Entry](rs)
		return len(finder) == 1
	})

	list := find[*widget.List](rs)[0]
	test.Type(finder[0], "birth")
	eventually(t, "the birth record alone", func() bool { return list.Length() == 1 })
	if text := labels(rs); !strings.Contains(text, birth.EvidenceType.Title["EN"]) || strings.Contains(text, "Certificate of residence") {
		t.Errorf("found by \"birth\":\n%s", text)
	}
	list.Select(0)
	eventually(t, "the birth record's page", func() bool {
		return strings.Contains(labels(w.Content()), "Evidence delivered") && strings.Contains(labels(w.Content()), birth.Provider.Name)
	})
	test.Tap(navButtons(t, w)[TabRequests]) // back to the list
	rs.Home()

	finder[0].SetText("")
	test.Type(finder[0], "residence latvija")
	eventually(t, "nothing found", func() bool { return list.Length() == 0 })
	if text := labels(rs); !strings.Contains(text, "Nothing here has “residence latvija”.") {
		t.Errorf("words nothing has show:\n%s", text)
	}
	finder[0].SetText("")
	test.Type(finder[0], "ESTONIA resid")
	eventually(t, "the residence certificates from Estonia", func() bool { return list.Length() == 2 })
	finder[0].SetText("")
	eventually(t, "every request again", func() bool { return list.Length() == 9 })

	// The wallet's search: one document is not a screen's worth.
	test.Tap(navButtons(t, w)[TabWallet])
	ws := walletScreen(t, w)
	if e := find[*widget.Entry](ws); len(e) != 0 {
		t.Errorf("a wallet of one document shows a search")
	}
}
