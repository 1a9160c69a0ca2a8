package app

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/exchange/handoff"
)

func (f *fakeService) DeskQueue(context.Context) ([]api.Request, error) { return nil, f.err }

func (f *fakeService) PostStatusChange(context.Context, string, api.StatusChange) (*api.Request, error) {
	return nil, f.err
}

func (f *fakeService) AskEvidence(context.Context, string, api.EvidenceAsk) (*api.Request, error) {
	return nil, f.err
}

func (f *fakeService) Trail(context.Context, string) (*api.LedgerTrail, error) {
	return nil, f.err
}

func (f *fakeService) AttachResult(context.Context, string, string, string, []byte) (*api.Request, error) {
	return nil, f.err
}

func (f *fakeService) CreateHandoff(_ context.Context, in api.NewHandoff) (*api.Handoff, error) {
	if f.err != nil {
		return nil, f.err
	}
	return &api.Handoff{Link: "https://vienreiz.example/open/handoff/T-" + in.RequestID, Code: "K7QM-3XPA"}, nil
}

func (f *fakeService) Redeem(_ context.Context, in api.Redeem) (*api.Request, error) {
	if f.err != nil {
		return nil, f.err
	}
	id := "from:" + in.Link + in.Code
	if in.MandateID != "" {
		id += " for " + in.MandateID
	}
	return &api.Request{ID: id}, nil
}

const handoffLink = "http://127.0.0.1:8080/open/handoff/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB"

// screenshot is a page-like picture: the QR code of text at an offset on a
// larger white page, as PNG or JPEG.
func screenshot(t *testing.T, text string, asJPEG bool) []byte {
	t.Helper()
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	page := image.NewRGBA(image.Rect(0, 0, 900, 700))
	draw.Draw(page, page.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	code := q.Image(300)
	draw.Draw(page, code.Bounds().Add(image.Pt(120, 200)), code, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if asJPEG {
		err = jpeg.Encode(&buf, page, &jpeg.Options{Quality: 80})
	} else {
		err = png.Encode(&buf, page)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRedeemImageReadsTheQRCode(t *testing.T) {
	h := NewHandoff(&fakeService{}, quiet())
	for name, img := range map[string][]byte{"png": screenshot(t, handoffLink, false), "jpeg": screenshot(t, handoffLink, true)} {
		req, err := h.RedeemImage(context.Background(), bytes.NewReader(img))
		if err != nil || req.ID != "from:"+handoffLink {
			t.Fatalf("%s: %+v, %v", name, req, err)
		}
	}
	if _, err := h.RedeemImage(context.Background(), bytes.NewReader(screenshot(t, "https://example.com/", false))); err == nil || !strings.Contains(err.Error(), "not a Vienreiz handoff link") {
		t.Fatalf("foreign QR code: %v", err)
	}
	var blank bytes.Buffer
	_ = png.Encode(&blank, image.NewGray(image.Rect(0, 0, 200, 200)))
	if _, err := h.RedeemImage(context.Background(), &blank); !errors.Is(err, ErrNoQRCode) {
		t.Fatalf("blank picture: %v", err)
	}
	if _, err := h.RedeemImage(context.Background(), strings.NewReader("not a picture")); err == nil || !strings.Contains(err.Error(), "not a PNG or JPEG") {
		t.Fatalf("text file: %v", err)
	}
}

func TestParseLink(t *testing.T) {
	for in, want := range map[string]Link{
		"vienreiz://services":                        {Screen: ScreenServices},
		"vienreiz://services/lv-birth-certificate":   {Screen: ScreenServices, ID: "lv-birth-certificate"},
		"https://portal.lv/open/requests/abc-123":    {Screen: ScreenRequests, ID: "abc-123"},
		"vienreiz://wallet/abc/2":                    {Screen: ScreenWallet, ID: "abc", Index: 2},
		"vienreiz://inbox":                           {Screen: ScreenInbox},
		"vienreiz://profile/":                        {Screen: ScreenProfile},
		"vienreiz://desk/abc":                        {Screen: ScreenDesk, ID: "abc"},
		"vienreiz://handoff/AAA.BBB":                 {Screen: ScreenHandoff, ID: "AAA.BBB"},
		"http://127.0.0.1:8080/open/handoff/AAA.BBB": {Screen: ScreenHandoff, ID: "AAA.BBB"},
		"  vienreiz://requests/a%2Fb\n":              {Screen: ScreenRequests, ID: "a/b"},
	} {
		got, err := ParseLink(in)
		if err != nil || got != want {
			t.Errorf("ParseLink(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		// Both written forms read back to the same link.
		if back, err := ParseLink(got.App()); err != nil || back != got {
			t.Errorf("%q: App form %q reads as %+v, %v", in, got.App(), back, err)
		}
		if back, err := ParseLink(got.Web("https://x.lv/")); err != nil || back != got {
			t.Errorf("%q: web form %q reads as %+v, %v", in, got.Web("https://x.lv/"), back, err)
		}
	}
	for _, bad := range []string{"", "vienreiz://", "vienreiz://nowhere", "vienreiz://handoff", "https://x.lv/portal/services/a",
		"javascript:alert(1)", "vienreiz://wallet/abc/x", "vienreiz://wallet/abc/-1", "vienreiz://requests/a/b", "vienreiz://services//x"} {
		if l, err := ParseLink(bad); !errors.Is(err, ErrNotALink) {
			t.Errorf("ParseLink(%q) = %+v, %v; want ErrNotALink", bad, l, err)
		}
	}
}

// TestLinkSurvivesSignIn: a link followed before sign-in is kept (across a
// restart, in the preferences) and opened once sign-in is done.
func TestLinkSurvivesSignIn(t *testing.T) {
	prefs := &memPrefs{}
	signedIn := false
	var shown []Link
	k := NewLinks(prefs, "http://svc")
	k.SignedIn = func() bool { return signedIn }
	k.Show = func(l Link) { shown = append(shown, l) }
	if err := k.Follow("https://svc/open/requests/r1"); err != nil {
		t.Fatal(err)
	}
	if len(shown) != 0 {
		t.Fatalf("shown before sign-in: %v", shown)
	}
	// The app restarts; the new run finds the link.
	again := NewLinks(prefs, "http://svc")
	again.Show = func(l Link) { shown = append(shown, l) }
	signedIn = true
	again.Resume()
	if len(shown) != 1 || shown[0] != RequestLink("r1") {
		t.Fatalf("after sign-in: %v", shown)
	}
	again.Resume()
	if len(shown) != 1 {
		t.Fatalf("the kept link was opened twice: %v", shown)
	}
	if err := k.Follow("mailto:x@y"); !errors.Is(err, ErrNotALink) {
		t.Fatalf("Follow(mailto) = %v", err)
	}
}

func FuzzParseLink(f *testing.F) {
	f.Add("vienreiz://wallet/abc/2")
	f.Add("https://x/open/handoff/A.B")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLink(s)
		if err != nil {
			return
		}
		if back, err := ParseLink(l.App()); err != nil || back != l {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, l, l.App(), back, err)
		}
	})
}

// TestReadQRReadsEveryHandoffLink: gozxing's first attempt misses about
// one code in a hundred; ReadQR reads every one of 60 handoff links, as
// the portal draws them (8 px modules) on a page.
func TestReadQRReadsEveryHandoffLink(t *testing.T) {
	signer, err := handoff.NewSigner(handoff.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	for range 60 {
		token, _ := signer.Token(handoff.NewID(), time.Now())
		link := "http://127.0.0.1:41234/open/" + handoff.Path(token)
		code, err := qrcode.Encode(link, qrcode.Medium, -8)
		if err != nil {
			t.Fatal(err)
		}
		img, _ := png.Decode(bytes.NewReader(code))
		page := image.NewRGBA(image.Rect(0, 0, 600, 520))
		draw.Draw(page, page.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(page, img.Bounds().Add(image.Pt(90, 40)), img, image.Point{}, draw.Src)
		var shot bytes.Buffer
		_ = png.Encode(&shot, page)
		if got, err := ReadQR(&shot); err != nil || got != link {
			t.Fatalf("ReadQR(%q) = %q, %v", link, got, err)
		}
	}
}

// TestPairDrawsTheHandoffLinkAsAQRCode: the pairing of a request asks for
// a handoff of that request, and its QR code reads back as the link.
func TestPairDrawsTheHandoffLinkAsAQRCode(t *testing.T) {
	h := NewHandoff(&fakeService{}, quiet())
	p, err := h.Pair(context.Background(), "req-1")
	if err != nil {
		t.Fatal(err)
	}
	link, err := ReadQR(bytes.NewReader(p.QR))
	if err != nil || link != "https://vienreiz.example/open/handoff/T-req-1" || p.Code != "K7QM-3XPA" {
		t.Fatalf("the pairing's QR code reads %q (%v), code %q", link, err, p.Code)
	}
}

// TestHandoffActsAsTheSessionDoes: a portal's code for a company's
// evidence, typed by its representative acting for the company, started a
// request for the representative (the redeem carried no mandate). It is
// made under the mandate the person acts under, as a request started in
// the app is.
func TestHandoffActsAsTheSessionDoes(t *testing.T) {
	test.NewTempApp(t)
	svc := &fakeService{held: []api.Mandate{{ID: "m-company", Represented: "LV/LV/40003012345", RepresentedName: "Baltic Timber SIA", Company: true, Status: "active"}}}
	s := testSession(t, svc)
	ctx := context.Background()
	if req, err := s.Handoff.RedeemCode(ctx, "K7QM-3XPA"); err != nil || req.ID != "from:K7QM-3XPA" {
		t.Fatalf("acting for oneself: %+v, %v", req, err)
	}
	if err := s.Acting.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	s.Acting.Set("m-company")
	if req, err := s.Handoff.RedeemCode(ctx, "K7QM-3XPA"); err != nil || req.ID != "from:K7QM-3XPA for m-company" {
		t.Fatalf("acting for the company: %+v, %v", req, err)
	}
	// Refused for whom it was redeemed, the code is left unused: the
	// problem says to enter it again.
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	p := HandoffProblem(&client.APIError{Status: 422, Code: api.CodeEvidenceForCompanies, Message: "x"})
	if p.Code != api.CodeEvidenceForCompanies || !strings.Contains(p.Text, "about a company") || !strings.Contains(p.Text, "enter it again") {
		t.Fatalf("the refused code's problem: %+v", p)
	}
	if q := s.Acting.ForWhom(p); q != p {
		t.Fatalf("to someone who may act for the company the problem became %+v", q)
	}
	// Someone who may act for no company was told to choose one under
	// "Acting as", which they do not have, and to enter the code again.
	nobody := NewActing(heldMandates{}, nil)
	if err := nobody.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if q := nobody.ForWhom(p); strings.Contains(q.Text, "Acting as") || strings.Contains(q.Text, "enter it again") || !strings.Contains(q.Text, "administrator") {
		t.Fatalf("to someone who may act for no company: %+v", q)
	}
}
