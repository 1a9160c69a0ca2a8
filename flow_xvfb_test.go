package main

import (
	"bufio"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// screenReader drives the app on a desktop the way a person does: it reads
// the screen (tesseract's OCR of a screenshot, in Latvian), taps or clicks
// on the words it sees, scrolls, and keeps a screenshot of each step.
type screenReader struct {
	d *desktop
	// prefix names the screenshots: PREFIX-NN-LABEL.png.
	prefix string
	// phone is Fyne's mobile simulation: a touch screen at scale 2 (one
	// point is two pixels; OCR reads it at half size), driven by taps and
	// drags; it has no keyboard.
	phone bool
	step  int
	last  string // the latest screenshot
}

// word is one word OCR read, in screen pixels.
type word struct {
	text                     string
	left, top, width, height int
}

// read takes a screenshot and returns the words on it.
func (s *screenReader) read(t *testing.T) []word {
	t.Helper()
	s.last = filepath.Join(s.d.dir, "screen.png")
	s.d.run(t, "import", "-window", "root", s.last)
	// Grey, darkened (light text on grey and dimmed text are read too);
	// the phone's at half size, where its letters are as big as the
	// desktop's.
	// The desktop's dark theme is read negated (dark letters on light).
	in, scale, args := filepath.Join(s.d.dir, "screen-ocr.png"), 1, []string{"-negate"}
	if s.phone {
		scale, args = 2, []string{"-resize", "50%"}
	}
	s.d.run(t, "convert", append(append([]string{s.last, "-colorspace", "Gray"}, args...), "-level", "0,80%", in)...)
	// Sparse text: a screen is labels and buttons more than paragraphs.
	cmd := exec.Command("tesseract", in, "-", "-l", "lav", "--psm", "11", "tsv")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	var words []word
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" || strings.TrimSpace(f[11]) == "" {
			continue
		}
		n := make([]int, 4)
		for i := range n {
			n[i], _ = strconv.Atoi(f[6+i])
		}
		words = append(words, word{text: f[11],
			left: n[0] * scale, top: n[1] * scale, width: n[2] * scale, height: n[3] * scale})
	}
	return words
}

// fold is a word as compared: lower case, letters and digits only.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// locate finds phrase (words; the last may be a prefix of what is shown)
// as consecutive words at one height and returns its centre: the highest on the screen,
// or with phrase's prefix "last:" the lowest.
func locate(words []word, phrase string) (x, y int, ok bool) {
	phrase, lowest := strings.CutPrefix(phrase, "last:")
	want := strings.Fields(phrase)
	for i := range words {
		if i+len(want) > len(words) {
			break
		}
		match := true
		for j, w := range want {
			got, wf := words[i+j], fold(w)
			if d := got.top - words[i].top; d > words[i].height || -d > words[i].height || wf == "" {
				match = false
				break
			}
			if j == len(want)-1 {
				match = match && strings.HasPrefix(fold(got.text), wf)
			} else {
				match = match && fold(got.text) == wf
			}
		}
		if match {
			first, last := words[i], words[i+len(want)-1]
			x, y, ok = (first.left+last.left+last.width)/2, first.top+first.height/2, true
			if !lowest {
				return x, y, ok
			}
		}
	}
	return x, y, ok
}

// seen waits until phrase shows (limit) and returns where.
func (s *screenReader) seen(t *testing.T, phrase string, limit time.Duration) (x, y int) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		words := s.read(t)
		if x, y, ok := locate(words, phrase); ok {
			return x, y
		}
		if time.Now().After(deadline) {
			s.keep(t, "failed")
			var texts []string
			for _, w := range words {
				texts = append(texts, w.text)
			}
			t.Fatalf("%q is not on the screen after %s; it shows: %s", phrase, limit, strings.Join(texts, " "))
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// scrolledTo scrolls the page down until phrase shows, and returns where.
func (s *screenReader) scrolledTo(t *testing.T, phrase string) (int, int) {
	t.Helper()
	for i := 0; i < 8; i++ {
		if px, py, ok := locate(s.read(t), phrase); ok {
			return px, py
		}
		s.scrollDown(t)
	}
	return s.seen(t, phrase, 0)
}

// scrollDown moves the page down by about half a phone's screen or three
// notches of the desktop's mouse wheel.
func (s *screenReader) scrollDown(t *testing.T) {
	t.Helper()
	x, y := 640, 500 // the middle of the desktop's page
	if s.phone {
		x, y = 360, 1100 // low on the phone's page, above the navigation
	}
	if s.phone { // a finger's swipe upwards
		s.d.run(t, "xdotool", "mousemove", strconv.Itoa(x), strconv.Itoa(y), "mousedown", "1")
		for step := 1; step <= 10; step++ {
			s.d.run(t, "xdotool", "mousemove", strconv.Itoa(x), strconv.Itoa(y-step*y/20))
		}
		s.d.run(t, "xdotool", "mouseup", "1")
	} else { // the mouse wheel, three notches
		s.d.run(t, "xdotool", "mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "--repeat", "3", "--delay", "50", "5")
	}
	time.Sleep(500 * time.Millisecond)
}

// tap taps (clicks) at phrase once it shows.
func (s *screenReader) tap(t *testing.T, phrase string) {
	t.Helper()
	x, y := s.seen(t, phrase, 30*time.Second)
	s.tapAt(t, x, y)
}

func (s *screenReader) tapAt(t *testing.T, x, y int) {
	t.Helper()
	s.d.run(t, "xdotool", "mousemove", strconv.Itoa(x), strconv.Itoa(y), "click", "1")
	time.Sleep(700 * time.Millisecond)
}

// keep saves the latest screenshot as the next step's, PREFIX-NN-label.png,
// in the test's folder and $VIENREIZ_SCREENSHOTS (docs/ when kept).
func (s *screenReader) keep(t *testing.T, label string) {
	t.Helper()
	s.step++
	name := fmt.Sprintf("%s-%02d-%s.png", s.prefix, s.step, label)
	data, err := os.ReadFile(s.last)
	must(t, err)
	must(t, os.WriteFile(filepath.Join(s.d.dir, name), data, 0o644))
	if dir := os.Getenv("VIENREIZ_SCREENSHOTS"); dir != "" {
		must(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
}

// shows waits for phrase and keeps the screen as the next step.
func (s *screenReader) shows(t *testing.T, phrase, label string) {
	t.Helper()
	s.seen(t, phrase, 30*time.Second)
	s.keep(t, label)
}

// buildPhoneApp builds the app with Fyne's mobile simulation (the phone
// driver: touch, scale 2, no window decorations) into dir.
func buildPhoneApp(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "vienreiz-mobile")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-tags", "mobile", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags mobile: %v\n%s", err, out)
	}
	return bin
}

// startPhone starts the phone build on a 720×1480 screen (360×740 points)
// in Latvian, its window filling the screen, and waits for its first
// screen.
func startPhone(t *testing.T) (*desktop, *appProcess, *screenReader) {
	t.Helper()
	needTools(t, "tesseract", "convert")
	d := startScreen(t, "720x1480")
	bin := buildPhoneApp(t, d.dir)
	a := d.launch(t, bin, "VIENREIZ_DATA_DIR="+filepath.Join(d.dir, "data"), "VIENREIZ_APP_PIN=2468", "LANG=lv_LV.UTF-8")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("app log:\n%s", a.logged())
		}
		// The launch's clean-up then stops the app with SIGTERM and wants
		// exit code 0: Fyne's phone driver never ends its loop (phones
		// end their apps), so this also checks the app's guard that
		// closes the service itself 5 s after quit.
	})
	// The simulation's window is called "App" and opens at 600×800.
	win := strings.Fields(d.run(t, "xdotool", "search", "--sync", "--onlyvisible", "--name", "^App$"))[0]
	d.run(t, "xdotool", "windowsize", win, "720", "1480")
	waitFor(t, 2*time.Minute, "the app's start", func() bool { return strings.Contains(a.logged(), "app started") })
	if !strings.Contains(a.logged(), "language=lv") {
		t.Fatalf("the app did not start in Latvian:\n%s", a.logged())
	}
	geometry := d.run(t, "xdotool", "getwindowgeometry", win)
	if !strings.Contains(geometry, "Geometry: 720x1480") {
		t.Fatalf("the phone window is not 720×1480 pixels (360×740 points): %s", geometry)
	}
	return d, a, &screenReader{d: d, prefix: "flow-lv-phone", phone: true}
}

// startDesktopApp starts the desktop build in Latvian, its window filling
// a 1280×800 screen, and waits for its first screen.
func startDesktopApp(t *testing.T) (*desktop, *appProcess, *screenReader) {
	t.Helper()
	needTools(t, "tesseract", "convert")
	d := startDesktop(t)
	a, s := d.openDesktopApp(t, "VIENREIZ_DATA_DIR="+filepath.Join(d.dir, "data"))
	return d, a, s
}

// openDesktopApp starts the desktop build on d in Latvian, with env added,
// its window filling the screen, and waits for its first screen.
func (d *desktop) openDesktopApp(t *testing.T, env ...string) (*appProcess, *screenReader) {
	t.Helper()
	a := d.launchApp(t, append([]string{"VIENREIZ_APP_PIN=2468", "LANG=lv_LV.UTF-8"}, env...)...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("app log:\n%s", a.logged())
		}
	})
	win := strings.Fields(d.run(t, "xdotool", "search", "--sync", "--onlyvisible", "--name", "^Vienreiz$"))[0]
	waitFor(t, 2*time.Minute, "the app's start", func() bool { return strings.Contains(a.logged(), "app started") })
	d.run(t, "xdotool", "windowsize", win, "1280", "800")
	if !strings.Contains(a.logged(), "language=lv") {
		t.Fatalf("the app did not start in Latvian:\n%s", a.logged())
	}
	return a, &screenReader{d: d, prefix: "flow-lv-desktop"}
}

// TestPhoneWholeFlowInLatvian drives the phone build (Fyne's mobile
// simulation at 360×740 points) through a citizen's whole flow in
// Latvian, with a screenshot of each step (docs/flow-lv-phone-*.png).
func TestPhoneWholeFlowInLatvian(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the phone app; starts it, Xvfb and Chromium")
	}
	d, a, s := startPhone(t)
	driveWholeFlow(t, d, a, s)
}

// TestDesktopWholeFlowInLatvian drives the desktop build at 1280×800
// through the same flow (docs/flow-lv-desktop-*.png).
func TestDesktopWholeFlowInLatvian(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app, Xvfb and Chromium")
	}
	d, a, s := startDesktopApp(t)
	driveWholeFlow(t, d, a, s)
}

// driveWholeFlow: find a service, sign in, request a piece of evidence
// explicitly from a chosen country, preview it, approve it, find it in
// the wallet and save a copy of it through Fyne's file dialog.
func driveWholeFlow(t *testing.T, d *desktop, a *appProcess, s *screenReader) {
	t.Helper()
	// The first screen: the catalogue, with the navigation.
	s.seen(t, "Valsts pakalpojumi", time.Minute)
	s.seen(t, "Profils", 0)
	s.shows(t, "16 pakalpojumu", "services")

	// Find the service: the phone has no keyboard in the simulation, so
	// its person filters by category; the desktop's types a search.
	if s.phone {
		s.tap(t, "Visas kategorijas")
		s.tap(t, "Nodokļi")
	} else {
		s.tap(t, "Meklēt pakalpojumus")
		d.run(t, "xdotool", "type", "--delay", "60", "deklar") // ASCII: xdotool types no other letters under the C locale
	}
	// OCR has read its last word as "deklarāci,": its start will do.
	s.shows(t, "Iesniegt ienākumu deklarā", "found")
	s.tap(t, "Iesniegt ienākumu deklarā")
	s.shows(t, "Nepieciešamie apliecinājumi", "service")
	x, y := s.scrolledTo(t, "Pieprasīt tiešsaistē")
	s.tapAt(t, x, y)
	s.shows(t, "piesakieties ar savu", "sign-in-asked")
	s.tapPrimary(t, "piesakieties ar savu") // Pieteikties
	// At level high: the evidence asks for it (no step-up on the way).
	d.signInInBrowser(t, a, "#user-janis", identity.LevelHigh, func() {
		s.read(t)
		s.keep(t, "provider")
	})
	d.closeBrowser()
	// Signed in, the app carries on: the countries where the Evidence
	// Broker knows the evidence, his own (Latvia) chosen.
	s.shows(t, "Valsts, kurā tas glabājas", "country")
	s.shows(t, "Latvija", "countries")
	s.tapPrimary(t, "Valsts, kurā tas glabājas") // Sākt
	// The request: the explicit request (OOTS) is the person's own act.
	s.shows(t, "Jūsu nepārprotamais", "explicit-request")
	s.scrolledTo(t, "redzēsiet")
	s.keep(t, "explicit-request-button")
	s.tapPrimary(t, "redzēsiet") // Es pieprasu šo apliecinājumu
	// The other country answers; the evidence waits for the preview.
	s.seen(t, "gatavs apskatei", 2*time.Minute)
	s.scrolledTo(t, "nesaņem")
	s.keep(t, "preview-ready")
	s.tapPrimary(t, "nesaņem") // Rādīt apliecinājumu
	s.shows(t, "Personas identifikators", "preview")
	// Below the fields, approve: the page scrolls (the sign-in page's
	// empty scroll container had taken every wheel and swipe here). The
	// answers stand on one row above the timeline, where tesseract reads
	// the timeline's title but not always "Atteikt" beside the blue
	// button.
	s.scrolledTo(t, "Laika josla")
	s.keep(t, "approve")
	s.tapPrimary(t, "Laika josla") // Apstiprināt un nosūtīt
	// The evidence comes over AS4; the page says so at its top.
	s.seen(t, "Saņemts", time.Minute)
	s.keep(t, "delivered")
	// In the wallet: the document, named by what it is.
	s.tap(t, "Maciņš")
	s.shows(t, "Izziņa par ienākumiem", "wallet")
	saveACopy(t, d, s)
}

// savedName is the name the wallet proposes for the demo's income
// statement: after the document and the day it came, e.g. "Izziņa par
// ienākumiem no nodokļu reģistra 2026-12-05.pdf" (not evidence-<uuid>-0.pdf).
var savedName = regexp.MustCompile(`^Izziņa par ienākumiem no nodokļu reģistra (\d{4}-\d{2}-\d{2})\.pdf$`)

// saveACopy opens the document in the wallet and saves a copy the way a
// person does: its save action, then Fyne's file dialog, where the
// person keeps the proposed name, opens a folder of their home and
// presses Save. The copy must be there, named after the document, with
// the bytes delivered (the SHA-256 and size the exchange service recorded
// at delivery), and the app must say it was saved.
func saveACopy(t *testing.T, d *desktop, s *screenReader) {
	t.Helper()
	folder := filepath.Join(d.home, "Kopijas")
	must(t, os.MkdirAll(folder, 0o755))
	s.tap(t, "Izziņa par ienākumiem")
	// "kopi": OCR reads "kopiju…" as "kopiji" where the button sits
	// since the side rail became 3 px wider (c9b2ed4).
	x, y := s.scrolledTo(t, "Saglabāt kopi")
	s.keep(t, "document")
	s.tapAt(t, x, y)
	// Fyne's save dialog, in Latvian, opens in the home folder with the
	// proposed name in its file name field (the desktop's shows all of
	// it; the phone's, beside its buttons, its start).
	s.seen(t, "Saglabāt failu", 30*time.Second)
	s.shows(t, "Kopijas", "save-dialog")
	proposed := s.read(t)
	for _, w := range proposed {
		if strings.HasPrefix(fold(w.text), "evidence") {
			s.keep(t, "failed")
			t.Fatalf("the save dialog proposes a technical file name: %q", w.text)
		}
	}
	// Open the folder (one tap, as Fyne's dialog opens folders), keep the
	// name, and press Saglabāt.
	s.tap(t, "Kopijas")
	s.seen(t, "Saglabāt failu", 0)
	s.keep(t, "save-folder")
	s.tapPrimary(t, "Saglabāt failu")
	s.shows(t, "Kopija saglabāta", "saved")

	entries, err := os.ReadDir(folder)
	must(t, err)
	if len(entries) != 1 || !savedName.MatchString(entries[0].Name()) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("the folder holds %q; want one copy named like %q", names, savedName)
	}
	// Nothing was typed: the copy's name is the one proposed.
	name := entries[0].Name()
	if _, _, ok := locate(proposed, savedName.FindStringSubmatch(name)[1]+".pdf"); !ok && !s.phone {
		t.Errorf("the save dialog did not show the whole name %q", name)
	}
	s.seen(t, "Dokumenta kopija saglabāta", 0)
	saved, err := os.ReadFile(filepath.Join(folder, name))
	must(t, err)
	sum, size := deliveredEvidence(t, filepath.Join(d.dir, "data", exchange.DatabaseFile))
	if got := sha256.Sum256(saved); hex.EncodeToString(got[:]) != sum || int64(len(saved)) != size {
		t.Fatalf("the saved copy is %d bytes with SHA-256 %x; the delivered evidence is %d bytes with %s", len(saved), got, size, sum)
	}
	// And it is the person's income statement, as the preview showed it.
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.Join(folder, name), "-").Output()
	must(t, err)
	if !strings.Contains(string(text), "Bērziņš") {
		t.Errorf("the saved PDF does not name the person; its text:\n%s", text)
	}
}

// deliveredEvidence is the SHA-256 and size the exchange service recorded
// for the one evidence document delivered, read from its database.
func deliveredEvidence(t *testing.T, path string) (sum string, size int64) {
	t.Helper()
	db, err := sql.Open("sqlite", sqlitedsn.ReadOnly(path))
	must(t, err)
	defer db.Close()
	must(t, db.QueryRow(`SELECT sha256, size FROM evidence`).Scan(&sum, &size))
	return strings.ToLower(sum), size
}

// tapPrimary taps the lowest button in the theme's primary colour on the
// screen (OCR rarely reads their white letters on blue), after phrase, a
// text beside it, shows.
func (s *screenReader) tapPrimary(t *testing.T, phrase string) {
	t.Helper()
	s.seen(t, phrase, 30*time.Second)
	scale := 1
	if s.phone {
		scale = 2
	}
	// The button may be just below the screen's edge, under its phrase
	// (the last line of a card): the page is moved on once.
	for attempt := 0; ; attempt++ {
		f, err := os.Open(s.last)
		must(t, err)
		img, err := png.Decode(f)
		f.Close()
		must(t, err)
		if x, y, ok := primaryButton(img, scale); ok {
			s.tapAt(t, x, y)
			return
		}
		if attempt == 1 {
			s.keep(t, "failed")
			t.Fatalf("no button in the primary colour near %q", phrase)
		}
		s.scrollDown(t)
		s.read(t)
	}
}

// primaryButton finds the lowest band of rows where the primary colour
// (Fyne's blue, 41/111/246) runs at least 20 points wide for 5 rows or
// more (a button's padding above or below its label), and returns the
// middle of its widest run; scale is pixels per point.
func primaryButton(img image.Image, scale int) (x, y int, ok bool) {
	b := img.Bounds()
	blue := func(px, py int) bool {
		r, g, bl, _ := img.At(px, py).RGBA()
		near := func(v uint32, want int) bool { d := int(v>>8) - want; return d > -12 && d < 12 }
		return near(r, 41) && near(g, 111) && near(bl, 246)
	}
	type run struct{ from, to int }
	widest := func(py int) run {
		var best, cur run
		for px := b.Min.X; px < b.Max.X; px++ {
			if blue(px, py) {
				if cur.to != px {
					cur.from = px
				}
				cur.to = px + 1
				if cur.to-cur.from > best.to-best.from {
					best = cur
				}
			}
		}
		return best
	}
	bandEnd, bandLen := -1, 0
	for py := b.Max.Y - 1; py >= b.Min.Y; py-- {
		if r := widest(py); r.to-r.from >= 20*scale {
			if bandLen == 0 {
				bandEnd = py
			}
			bandLen++
			continue
		}
		if bandLen >= 5*scale {
			break
		}
		bandLen = 0
	}
	if bandLen < 5*scale {
		return 0, 0, false
	}
	mid := bandEnd - bandLen/2
	r := widest(mid)
	return (r.from + r.to) / 2, mid, true
}
