package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/app"
)

// TestStructuredEvidenceIsShownAsFields (issue 15 defect 6): a document
// delivered as XML (the Latvian certificate of secondary education) is
// shown on its wallet page as fields with Latvian labels, not as raw
// data or only as a file to open; its values are Latvian too (they were
// English: "General secondary education", "Rīga University"), as the
// preview showed them.
func TestStructuredEvidenceIsShownAsFields(t *testing.T) {
	w, s := newApp(t, "lv")
	ctx := context.Background()
	svc, err := s.Catalogue.Service(ctx, "lv-university-admission")
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Requests.Create(ctx, svc.ID, svc.Evidence[0].Requirement, "LV")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Requests.GiveExplicitRequest(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	waitRequest(t, s, r.ID, "preview_required")
	if _, err := s.Requests.OpenPreview(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Requests.Decide(ctx, r.ID, true); err != nil {
		t.Fatal(err)
	}
	r = waitRequest(t, s, r.ID, "delivered")
	if len(r.Evidence) == 0 || !app.IsStructured(r.Evidence[0].ContentType) {
		t.Fatalf("the certificate came as %+v, want XML", r.Evidence)
	}
	if err := s.Requests.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	test.Tap(navButtons(t, w)[TabWallet])
	items, _ := s.Wallet.Items.Get()
	if len(items) == 0 {
		t.Fatal("the wallet is empty")
	}
	find[*WalletScreen](w.Content())[0].Open(items[0].(app.WalletItem))
	eventually(t, "the document's fields", func() bool { return strings.Contains(labels(w.Content()), "Kvalifikācija") })
	text := labels(w.Content())
	for _, want := range []string{"Saturs", "Uzvārds", "Vārds", "Kvalifikācija", "Iestāde", "Izdošanas datums", "Vispārējā vidējā izglītība", "Rīgas Valsts ģimnāzija"} {
		if !strings.Contains(text, want) {
			t.Errorf("the wallet page lacks %q:\n%s", want, text)
		}
	}
	for _, raw := range []string{"<Field", "Qualification", "Family name", "General secondary education", "Gymnasium", "University"} {
		if strings.Contains(text, raw) {
			t.Errorf("the wallet page shows %q", raw)
		}
	}
}
