package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

// deliverRequest takes a birth-certificate request to delivered through
// the session, as the request page's buttons do, against the real
// exchange service and its demo member state.
func deliverRequest(t *testing.T, s *app.Session) *api.Request {
	t.Helper()
	return deliverFor(t, s, "lv-birth-certificate")
}

// deliverFor is deliverRequest for the first evidence of service.
func deliverFor(t *testing.T, s *app.Session, service string) *api.Request {
	t.Helper()
	return deliverFrom(t, s, service, "LV")
}

// deliverFrom is deliverFor with the evidence from country.
func deliverFrom(t *testing.T, s *app.Session, service, country string) *api.Request {
	t.Helper()
	ctx := context.Background()
	r := startRequest(t, s, service, country)
	if _, err := s.Requests.GiveExplicitRequest(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	r = waitRequest(t, s, r.ID, "preview_required")
	if _, err := s.Requests.OpenPreview(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Requests.Decide(ctx, r.ID, true); err != nil {
		t.Fatal(err)
	}
	r = waitRequest(t, s, r.ID, "delivered")
	if len(r.Evidence) == 0 || r.EvidenceType == nil || r.Provider == nil {
		t.Fatalf("delivered request lacks evidence, type or provider: %+v", r)
	}
	if err := s.Requests.Refresh(ctx); err != nil { // as an event would
		t.Fatal(err)
	}
	return r
}

// waitRequest re-reads request id until it is in state, or fails the test
// after 20 s.
func waitRequest(t *testing.T, s *app.Session, id, state string) *api.Request {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, err := s.Requests.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if r.State == state {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("request %s is %s (%s), not %s, after 20 s", id, r.State, r.Problem, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func walletScreen(t *testing.T, w fyne.Window) *WalletScreen {
	t.Helper()
	screens := find[*WalletScreen](w.Content())
	if len(screens) != 1 {
		t.Fatalf("found %d wallet screens", len(screens))
	}
	return screens[0]
}

// saveInto makes ws save to path instead of asking with a dialog, and
// records the name it suggested.
func saveInto(ws *WalletScreen, path string, suggested *string) {
	ws.saver.choose = func(name string, done func(fyne.URIWriteCloser, error)) {
		*suggested = name
		done(storage.Writer(storage.NewFileURI(path)))
	}
}

// TestWalletShowsDeliveredEvidenceAndSavesIt: a delivered request's
// document appears as a card; its page shows its facts, saves a copy equal
// to the delivered document, and opens the request.
func TestWalletShowsDeliveredEvidenceAndSavesIt(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	w, s := newApp(t, "en")
	r := deliverRequest(t, s)
	file := r.Evidence[0]
	test.Tap(navButtons(t, w)[TabWallet])
	ws := walletScreen(t, w)

	text := labels(w.Content())
	for _, want := range []string{r.EvidenceType.Title["EN"], r.Provider.Name + " · Latvia", "Received", "My evidence"} {
		if !strings.Contains(text, want) {
			t.Errorf("wallet card lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Your wallet is empty") {
		t.Error("the empty state shows beside a delivered document")
	}

	lists := find[*widget.List](ws)
	if len(lists) != 1 {
		t.Fatalf("found %d lists in the wallet", len(lists))
	}
	lists[0].Select(0)
	eventually(t, "the document page", func() bool { return strings.Contains(labels(w.Content()), "Issued by") })
	// Defect 6: what a person cares about first; the technical facts one tap away.
	text = labels(w.Content())
	for _, want := range []string{"Latvia", r.Provider.Name, "Issued by", "Received", "For the service", "Request a birth certificate", "Validity", "Technical details"} {
		if !strings.Contains(text, want) {
			t.Errorf("document page lacks %q:\n%s", want, text)
		}
	}
	for _, technical := range []string{r.ID, file.SHA256, file.ContentType} {
		if strings.Contains(text, technical) {
			t.Errorf("document page shows %q before the technical details are opened", technical)
		}
	}
	tapButton(t, w, "Technical details")
	text = labels(w.Content())
	for _, want := range []string{r.ID, file.SHA256, file.ContentType, formatSize(file.Size, "en"), "SHA-256 checksum"} {
		if !strings.Contains(text, want) {
			t.Errorf("technical details lack %q:\n%s", want, text)
		}
	}

	// Open hands the checked document to the system's viewer under its own name.
	var opened *url.URL
	ws.openURL = func(u *url.URL) error { opened = u; return nil }
	tapButton(t, w, "Open")
	if opened == nil || opened.Scheme != "file" || !strings.HasPrefix(filepath.Base(opened.Path), r.EvidenceType.Title["EN"]) {
		t.Fatalf("opened %v, want the document's file named after it", opened)
	}
	if data, err := os.ReadFile(opened.Path); err != nil || len(data) != int(file.Size) {
		t.Fatalf("the opened file: %d bytes, %v", len(data), err)
	}
	// No app opens the document (xdg-open found none, found by trying the
	// app under a bare X server): the person is told, not left with a
	// button that does nothing.
	ws.openURL = func(*url.URL) error { return errors.New("xdg-open: exit status 3") }
	tapButton(t, w, "Open")
	if text := dialogText(t, w); !strings.Contains(text, "No app on this device opened the document (PDF document)") || !strings.Contains(text, "Save a copy") {
		t.Fatalf("with no app to open the document the app says:\n%s", text)
	}
	w.Canvas().Overlays().Top().Hide()
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())

	path := filepath.Join(t.TempDir(), "copy.xml")
	var suggested string
	saveInto(ws, path, &suggested)
	tapButton(t, w, "Save a copy…")
	if !strings.HasPrefix(suggested, r.EvidenceType.Title["EN"]+" ") || strings.Contains(suggested, r.ID) {
		t.Errorf("suggested file name %q, want it named after the document", suggested)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != file.SHA256 {
		t.Fatalf("the saved copy (%d bytes) is not the delivered document", len(data))
	}
	if !strings.Contains(labels(w.Canvas().Overlays().Top()), "copy.xml") {
		t.Errorf("no confirmation naming the copy; overlay shows:\n%s", labels(w.Canvas().Overlays().Top()))
	}
	w.Canvas().Overlays().Top().Hide()
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())

	tapButton(t, w, "Open the request")
	if !navButtons(t, w)[TabRequests].selected || !strings.Contains(labels(w.Content()), "Evidence delivered") {
		t.Fatalf("Open the request did not show the request:\n%s", labels(w.Content()))
	}
}

// TestWalletDeletesACopyThatFailsItsCheck: when the download is not the
// delivered document, no file is left and the user is told why.
func TestWalletDeletesACopyThatFailsItsCheck(t *testing.T) {
	w, s := newApp(t, "en")
	deliverRequest(t, s)
	v, err := s.Wallet.Items.GetValue(0)
	if err != nil {
		t.Fatal(err)
	}
	item := v.(app.WalletItem)
	item.SHA256 = strings.Repeat("0", 64)
	test.Tap(navButtons(t, w)[TabWallet])
	ws := walletScreen(t, w)
	path := filepath.Join(t.TempDir(), "copy.xml")
	wc, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	ws.saver.choose = func(_ string, done func(fyne.URIWriteCloser, error)) { done(wc, nil) }
	ws.saver.save(item.FileName("en"), func(ctx context.Context, w io.Writer) error { return s.Wallet.Save(ctx, item, w) },
		func(string, string) (string, string) { return "saved", "saved" })
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a copy that failed its check is still there: %v", err)
	}
	if text := labels(w.Canvas().Overlays().Top()); !strings.Contains(text, "checksum differs") {
		t.Fatalf("the error dialog shows:\n%s", text)
	}
}

func TestFormatSize(t *testing.T) {
	for _, tc := range []struct {
		n          int64
		code, want string
	}{{0, "en", "0 B"}, {1023, "en", "1023 B"}, {1536, "en", "1.5 KB"}, {1536, "lv", "1,5 KB"}, {5 << 20, "en", "5.0 MB"}} {
		if got := formatSize(tc.n, tc.code); got != tc.want {
			t.Errorf("formatSize(%d, %s) = %q, want %q", tc.n, tc.code, got, tc.want)
		}
	}
}
