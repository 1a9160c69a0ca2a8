package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// delivered is a delivered request with one document per content.
func delivered(id string, at time.Time, contents ...string) api.Request {
	r := api.Request{
		ID: id, ServiceID: "lv-birth-certificate", Country: "LV", State: "delivered", UpdatedAt: at.Add(time.Minute),
		EvidenceType: &api.EvidenceType{Title: map[string]string{"EN": "Birth certificate", "LV": "Dzimšanas apliecība"}},
		Provider:     &api.Provider{Name: "Civil registry"},
		Timeline:     []api.Step{{At: at.Add(-time.Hour), Event: "created"}, {At: at, Event: "evidence_delivered", State: "delivered"}},
	}
	for i, c := range contents {
		sum := sha256.Sum256([]byte(c))
		r.Evidence = append(r.Evidence, api.EvidenceFile{Index: i, ContentType: "application/xml", Size: int64(len(c)), SHA256: hex.EncodeToString(sum[:])})
	}
	return r
}

// TestWalletFileNamesNameTheDocument (defect 6): saved copies were named
// evidence-<uuid>-0.pdf; they are named after the document and its date.
func TestWalletFileNamesNameTheDocument(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "lv"}})
	it := itemsOf(documentsOf([]api.Request{delivered("older", t0, "<a/>", "<b/>")}))
	if len(it) != 2 {
		t.Fatalf("%d items, want 2", len(it))
	}
	day := t0.Local().Format(time.DateOnly)
	if name := it[0].FileName("lv"); name != "Dzimšanas apliecība "+day+".xml" {
		t.Errorf("file name %q", name)
	}
	if name := it[1].FileName("en"); name != "Birth certificate "+day+" (2).xml" {
		t.Errorf("second document's file name %q", name)
	}
	odd := WalletItem{Titles: map[string]string{"EN": `a/b:c*"d"`}, ContentType: "nonsense"}
	if name := odd.FileName("en"); name != "a-b-c--d-.bin" {
		t.Errorf("file name with path characters %q", name)
	}
	if strings.Contains(it[0].FileName("lv"), "older") {
		t.Error("the file name shows the request id")
	}
}

// documentsOf is what GET /v1/evidence answers for requests.
func documentsOf(requests []api.Request) []api.Document {
	var out []api.Document
	for _, r := range requests {
		if r.State != "delivered" {
			continue
		}
		for _, f := range r.Evidence {
			d := api.Document{RequestID: r.ID, ServiceID: r.ServiceID, Requirement: r.Requirement, Country: r.Country, DeliveredAt: r.Timeline[len(r.Timeline)-1].At, File: f}
			if r.EvidenceType != nil {
				d.Title = r.EvidenceType.Title
			}
			if r.Provider != nil {
				d.Provider = r.Provider.Name
			}
			if r.MandateID != "" { // made for Citizen under their mandate
				d.For, d.ForName = r.Citizen, r.Citizen
			}
			out = append(out, d)
		}
	}
	return out
}

// fakeService is a ServiceAPI whose requests list and evidence documents
// are fixed.
type fakeService struct {
	fakeAPI
	fakeInbox
	requests []api.Request
	docs     map[string]string // "request/index" → content
	held     []api.Mandate     // the mandates the person holds
	err      error
	// refused, when set, is what a download answers instead.
	refused error
}

func (f *fakeService) Requests(context.Context) ([]api.Request, error) { return f.requests, f.err }
func (f *fakeService) Mandates(context.Context) (*api.MandateList, error) {
	return &api.MandateList{Held: f.held}, nil
}

func (f *fakeService) Documents(context.Context) ([]api.Document, error) {
	return documentsOf(f.requests), f.err
}
func (f *fakeService) CreateRequest(context.Context, api.NewRequest) (*api.Request, error) {
	return nil, f.err
}
func (f *fakeService) Request(context.Context, string) (*api.Request, error) { return nil, f.err }
func (f *fakeService) GiveAttributes(context.Context, string, map[string]string) (*api.Request, error) {
	return nil, f.err
}
func (f *fakeService) GiveExplicitRequest(context.Context, string) (*api.Request, error) {
	return nil, f.err
}
func (f *fakeService) CancelRequest(context.Context, string) (*api.Request, error) { return nil, f.err }
func (f *fakeService) RetryRequest(context.Context, string, map[string]string) (*api.Request, error) {
	return nil, f.err
}
func (f *fakeService) ArchiveRequest(context.Context, string) (*api.Request, error) {
	return nil, f.err
}
func (f *fakeService) GiveFeedback(context.Context, string, api.NewFeedback) (*api.Request, error) {
	return nil, f.err
}
func (f *fakeService) Feedback(context.Context) (*api.FeedbackList, error)       { return nil, f.err }
func (f *fakeService) OpenPreview(context.Context, string) (*api.Request, error) { return nil, f.err }
func (f *fakeService) DecidePreview(context.Context, string, string) (*api.Request, error) {
	return nil, f.err
}
func (f *fakeService) PreviewReturned(context.Context, string) (*api.Request, error) {
	return nil, f.err
}
func (f *fakeService) Events(ctx context.Context, _ func(api.Event)) error { return f.err }

func (f *fakeService) Evidence(_ context.Context, id string, n int) (*client.Document, error) {
	if f.err != nil {
		return nil, f.err
	}
	if f.refused != nil {
		return nil, f.refused
	}
	c, ok := f.docs[id+"/"+string(rune('0'+n))]
	if !ok {
		return nil, &client.APIError{Status: 404, Code: api.CodeNotFound}
	}
	return &client.Document{ContentType: "application/xml", Size: int64(len(c)), Body: io.NopCloser(strings.NewReader(c))}, nil
}

// TestSessionRebuildsTheWalletWhenRequestsReload: a reload of the
// requests list (as after an event) brings a newly delivered document into
// the wallet.
func TestSessionRebuildsTheWalletWhenRequestsReload(t *testing.T) {
	test.NewTempApp(t)
	svc := &fakeService{}
	s := testSession(t, svc)
	if err := s.Requests.Refresh(context.Background()); err != nil || s.Wallet.Items.Length() != 0 {
		t.Fatalf("wallet before delivery: %d items, %v", s.Wallet.Items.Length(), err)
	}
	svc.requests = []api.Request{delivered("r1", t0, "<a/>")}
	if err := s.Requests.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.Wallet.Items.Length() != 1 {
		t.Fatalf("wallet after delivery: %d items, want 1", s.Wallet.Items.Length())
	}
	v, _ := s.Wallet.Items.GetValue(0)
	if it, ok := v.(WalletItem); !ok || it.RequestID != "r1" || it.Size != 4 {
		t.Fatalf("wallet item %+v", v)
	}
}

// TestWalletSaveChecksTheDocument: a copy is written when the download is
// the delivered document, and refused when it differs or is missing.
func TestWalletSaveChecksTheDocument(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	item := itemsOf(documentsOf([]api.Request{delivered("r1", t0, "<evidence/>")}))[0]
	svc := &fakeService{docs: map[string]string{"r1/0": "<evidence/>"}}
	w := NewWallet(svc, quiet())
	var dst bytes.Buffer
	if err := w.Save(context.Background(), item, &dst); err != nil || dst.String() != "<evidence/>" {
		t.Fatalf("save: %q, %v", dst.String(), err)
	}

	svc.docs["r1/0"] = "<forged/>"
	err := w.Save(context.Background(), item, io.Discard)
	if !errors.Is(err, ErrDigestMismatch) || UserMessage(err) != lang.L("error.digest_mismatch") {
		t.Fatalf("a different document: %v (%q), want a digest mismatch", err, UserMessage(err))
	}
	item.Index = 1
	if err := w.Save(context.Background(), item, io.Discard); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("a missing document: %v, want not found", err)
	}
	svc.err = client.ErrTooLarge
	if err := w.Save(context.Background(), item, io.Discard); UserMessage(err) != lang.L("error.too_large") {
		t.Fatalf("an oversize document: %q", UserMessage(err))
	}
}

// TestWalletHoldingFindsTheNewestDocumentOfARequirement: a service page
// asks the wallet whether the evidence it needs is already there, for the
// user or for whom they act: a document asked for another under their
// mandate is theirs, not the user's.
func TestWalletHoldingFindsTheNewestDocumentOfARequirement(t *testing.T) {
	test.NewTempApp(t)
	older := delivered("older", t0, "<a/>")
	newer := delivered("newer", t0.Add(time.Hour), "<b/>")
	his := delivered("his", t0.Add(90*time.Minute), "<h/>")
	other := delivered("other", t0.Add(2*time.Hour), "<c/>")
	older.Requirement, newer.Requirement, his.Requirement, other.Requirement = "birth", "birth", "birth", "residence"
	his.MandateID, his.Citizen = "m1", "LV/LV/010101-10101"
	// The service lists the documents newest first.
	w := NewWallet(&fakeService{requests: []api.Request{other, his, newer, older}}, quiet())
	if err := w.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if it, ok := w.Holding("birth", ""); !ok || it.RequestID != "newer" || it.Requirement != "birth" {
		t.Fatalf("Holding(birth) = %+v, %v; want the newer birth record", it, ok)
	}
	if it, ok := w.Holding("birth", his.Citizen); !ok || it.RequestID != "his" || it.For != his.Citizen {
		t.Fatalf("Holding(birth) for him = %+v, %v; want his birth record", it, ok)
	}
	if _, ok := w.Holding("diploma", ""); ok {
		t.Fatal("Holding found a document for a requirement nobody delivered")
	}
	if _, ok := w.Holding("residence", his.Citizen); ok {
		t.Fatal("Holding found the user's own document for someone else")
	}
}

func (f *fakeService) ExportLedger(_ context.Context, format string, w io.Writer) error {
	if f.err != nil {
		return f.err
	}
	_, err := io.WriteString(w, "ledger as "+format)
	return err
}

func (f *fakeService) Calendar(_ context.Context, w io.Writer) error {
	if f.err != nil {
		return f.err
	}
	_, err := io.WriteString(w, "BEGIN:VCALENDAR")
	return err
}

// TestRecordsPassTheExportsThrough: the records write what the service
// exports and say which export failed.
func TestRecordsPassTheExportsThrough(t *testing.T) {
	svc := &fakeService{}
	r := NewRecords(svc, quiet())
	var b strings.Builder
	if err := r.Ledger(context.Background(), "csv", &b); err != nil || b.String() != "ledger as csv" {
		t.Fatalf("Ledger wrote %q, %v", b.String(), err)
	}
	svc.err = client.ErrUnavailable
	if err := r.Calendar(context.Background(), &b); !errors.Is(err, client.ErrUnavailable) || !strings.Contains(err.Error(), "calendar") {
		t.Fatalf("Calendar with the service down: %v", err)
	}
}

// TestARefusedMandateReloadsWhatItGave: Jānis revoked Mari's mandate while
// her app showed his document in her wallet and "For Jānis" under
// "Acting as"; opening the document was refused (403 mandate_revoked) and
// both stayed. A refusal of a mandate reloads whom the person may act for
// and their requests and documents: the document leaves the wallet, and
// the app acts for Mari herself again.
func TestARefusedMandateReloadsWhatItGave(t *testing.T) {
	test.NewTempApp(t)
	mandate := api.Mandate{ID: "m1", Represented: "LV/LV/01019012345", RepresentedName: "Jānis Bērziņš", Status: "active"}
	r := delivered("r1", t0, "<birth/>")
	r.MandateID = mandate.ID
	svc := &fakeService{requests: []api.Request{r}, held: []api.Mandate{mandate}, docs: map[string]string{"r1/0": "<birth/>"}}
	s := testSession(t, svc)
	ctx := context.Background()
	if err := s.Acting.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	s.Acting.Set(mandate.ID)
	if err := s.Requests.Refresh(ctx); err != nil || s.Wallet.Items.Length() != 1 {
		t.Fatalf("before the revocation the wallet holds %d documents, %v", s.Wallet.Items.Length(), err)
	}
	v, _ := s.Wallet.Items.GetValue(0)

	svc.held, svc.requests = nil, nil // Jānis revokes the mandate
	svc.refused = &client.APIError{Status: 403, Code: api.CodeMandateRevoked, Message: "the mandate cannot be used: it was revoked on 2026-12-07"}
	if err := s.Wallet.Save(ctx, v.(WalletItem), io.Discard); ProblemOf(err).Code != api.CodeMandateRevoked {
		t.Fatalf("opening the document: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.Wallet.Items.Length() != 0 || s.Acting.MandateID() != "" {
		if time.Now().After(deadline) {
			t.Fatalf("after the refusal the wallet holds %d documents and the app acts under %q", s.Wallet.Items.Length(), s.Acting.MandateID())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestAMandateEventReloadsWhomOneMayActFor: Jānis gave Mari a mandate
// while her app was open, and "Acting as" did not offer him until she
// signed in again. The event of a mandate given or revoked reloads whom
// the person may act for.
func TestAMandateEventReloadsWhomOneMayActFor(t *testing.T) {
	test.NewTempApp(t)
	svc := &fakeService{}
	s := testSession(t, svc)
	if err := s.Acting.Refresh(context.Background()); err != nil || len(s.Acting.Held()) != 0 {
		t.Fatalf("before the mandate: %+v, %v", s.Acting.Held(), err)
	}
	svc.held = []api.Mandate{{ID: "m1", Represented: "LV/LV/01019012345", RepresentedName: "Jānis Bērziņš", Status: "active"}}
	s.Inbox.OnEvent(api.Event{Event: api.EventMandateGiven, At: t0})
	deadline := time.Now().Add(5 * time.Second)
	for len(s.Acting.Held()) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the mandate given is not offered under Acting as")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
