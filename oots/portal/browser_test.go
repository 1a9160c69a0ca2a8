package portal_test

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/exchange/handoff"
)

//go:embed testdata/axe-core/axe.min.js
var axeScript string

const (
	janisToken = "token-janis-0123456789"
	ievaToken  = "token-ieva-0123456789"
)

var people = exchange.BearerTokens{
	janisToken: exchange.DemoCitizen(),
	ievaToken:  {Subject: "LV/LV/020285-54321", GivenName: "Ieva", FamilyName: "Kalniņa", DateOfBirth: "1985-02-02"},
}

// serviceKey is the handoff key the services of these tests are
// configured with.
var serviceKey = handoff.NewKey()

// startService runs a real exchange service (SQLite in dir) for the demo
// people and returns its URL.
func startService(t *testing.T, dir string) string {
	t.Helper()
	s, err := exchange.Start(context.Background(), exchange.Config{DataDir: dir, Auth: people, Network: demonet.Embedded{}, HandoffKey: serviceKey,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Close(ctx)
	})
	return s.URL()
}

// browser starts Debian's chromium headless with a fresh profile. A
// missing chromium fails the test: `make test` installs it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed; `make test` installs it (Makefile TEST_PACKAGES)")
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	// axe-core is injected by the test; the portal's CSP rightly forbids it.
	if _, err := chromedp.Call(ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatalf("chromium does not start: %v", err)
	}
	return ctx
}

// TestPortalHandoffInChromium: in a real browser, a signed-in citizen asks
// the portal to continue in the app; the QR code is read back from a
// screenshot of the page and redeemed, which starts the request; the same
// link again, an altered one, an expired one and one redeemed by another
// person are refused and start nothing. Every page passes axe-core.
func TestPortalHandoffInChromium(t *testing.T) {
	dir := t.TempDir()
	base := startService(t, dir)
	ctx := browser(t)

	must(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/portal/sign-in?lang=en"), // English kept in a cookie from here on
		chromedp.SendKeys(chromedp.CSS("#token"), janisToken),
		chromedp.Submit(chromedp.CSS("#token")),
		chromedp.WaitVisible(chromedp.CSS(".who")),
		chromedp.Navigate(base+"/portal/services/lv-birth-certificate"),
	))
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	must(t, err)
	if !strings.Contains(heading, "birth") {
		t.Fatalf("service page heading %q", heading)
	}
	checkAccessible(t, ctx, "service page")

	must(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#continue-0")),
		chromedp.WaitVisible(chromedp.CSS("#qr")),
	))
	code, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#code")))
	must(t, err)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	must(t, err)
	checkAccessible(t, ctx, "QR page")
	if d := os.Getenv("VIENREIZ_SCREENSHOTS"); d != "" {
		must(t, os.WriteFile(filepath.Join(d, "screenshot-portal-qr.png"), shot, 0o644))
	}
	link := decodeQR(t, shot)
	if !strings.HasPrefix(link, base+"/open/handoff/") {
		t.Fatalf("the QR code holds %q", link)
	}
	if _, ok := handoff.NormalizeCode(code); !ok {
		t.Fatalf("short code under the QR: %q", code)
	}

	janis, ieva := client.New(base).WithToken(janisToken), client.New(base).WithToken(ievaToken)
	bg := context.Background()
	refused := func(name string, c *client.Client, in api.Redeem, wantCode string) {
		t.Helper()
		before, _ := c.Requests(bg)
		_, err := c.Redeem(bg, in)
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) || apiErr.Code != wantCode || apiErr.Message == "" {
			t.Fatalf("%s: %v, want %s", name, err, wantCode)
		}
		if after, _ := c.Requests(bg); len(after) != len(before) {
			t.Fatalf("%s: refused, yet a request was started", name)
		}
	}
	refused("another person", ieva, api.Redeem{Link: link}, api.CodeHandoffOtherPerson)
	refused("forged", janis, api.Redeem{Link: strings.Replace(link, "/handoff/", "/handoff/A", 1)}, api.CodeHandoffInvalid)
	refused("expired", janis, api.Redeem{Link: expiredCopy(t, dir, link)}, api.CodeHandoffExpired)
	req, err := janis.Redeem(bg, api.Redeem{Link: link})
	if err != nil {
		t.Fatalf("redeeming the QR code's link: %v", err)
	}
	if req.ServiceID != "lv-birth-certificate" || req.Country != "LV" {
		t.Fatalf("started %+v", req)
	}
	refused("reused link", janis, api.Redeem{Link: link}, api.CodeHandoffUsed)
	refused("reused code", janis, api.Redeem{Code: code}, api.CodeHandoffUsed)

	for _, p := range []string{"/portal/", "/portal/?q=university", "/portal/sign-in", "/open/services/lv-birth-certificate", "/portal/services/no-such"} {
		must(t, chromedp.Do(ctx, chromedp.Navigate(base+p)))
		checkAccessible(t, ctx, p)
	}

	// The language switch: the same page in Latvian, kept on the next
	// pages, which pass the same checks.
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/portal/services/lv-birth-certificate"),
		chromedp.Click(chromedp.CSS("#lang-lv")),
		chromedp.WaitVisible(chromedp.CSS("#lang-en")),
	))
	for _, p := range []string{"", "/portal/", "/portal/sign-in", "/open/services/lv-birth-certificate", "/portal/services/no-such"} {
		if p != "" {
			must(t, chromedp.Do(ctx, chromedp.Navigate(base+p)))
		}
		lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
		must(t, err)
		heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
		must(t, err)
		if lang != "lv" || strings.Contains(heading, "Open in") || strings.Contains(heading, "birth") {
			t.Errorf("%s after switching to Latvian: lang %q, heading %q", p, lang, heading)
		}
		checkAccessible(t, ctx, "Latvian "+p)
	}
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/portal/services/lv-birth-certificate"), chromedp.Click(chromedp.CSS("#continue-0")), chromedp.WaitVisible(chromedp.CSS("#qr"))))
	checkAccessible(t, ctx, "Latvian QR page")
	if d := os.Getenv("VIENREIZ_SCREENSHOTS"); d != "" {
		lv, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(t, err)
		must(t, os.WriteFile(filepath.Join(d, "screenshot-portal-qr-lv.png"), lv, 0o644))
	}
}

// expiredCopy returns link re-signed, with the service's configured key,
// to have expired a minute ago: a genuine link past its time.
func expiredCopy(t *testing.T, dir, link string) string {
	t.Helper()
	signer, err := handoff.NewSigner(serviceKey)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := handoff.TokenOf(link)
	id, err := signer.Verify(token, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	old, err := signer.Token(id, time.Now().Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	return "vienreiz://" + handoff.Path(old)
}

// decodeQR reads the QR code in a PNG screenshot as the app does.
func decodeQR(t *testing.T, shot []byte) string {
	t.Helper()
	link, err := app.ReadQR(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the QR code in the screenshot: %v", err)
	}
	return link
}

// checkAccessible runs axe-core (WCAG 2 A and AA rules: landmarks, labels,
// contrast, …) on the open page and fails on any violation.
func checkAccessible(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var result struct {
		Violations []struct {
			ID    string `json:"id"`
			Help  string `json:"help"`
			Nodes []struct {
				Target []any `json:"target"`
			} `json:"nodes"`
		} `json:"violations"`
		Passes []struct{ ID string } `json:"passes"`
	}
	must(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeScript)))
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}).then(r => JSON.stringify({violations: r.violations, passes: r.passes}))`, chromedp.EvalAwaitPromise))
	must(t, err)
	if err := json.Unmarshal([]byte(raw), &result); err != nil {
		t.Fatalf("%s: axe result: %v", name, err)
	}
	for _, v := range result.Violations {
		t.Errorf("%s: accessibility: %s (%s) at %v", name, v.Help, v.ID, v.Nodes)
	}
	passed := map[string]bool{}
	for _, p := range result.Passes {
		passed[p.ID] = true
	}
	for _, rule := range []string{"landmark-one-main", "color-contrast"} {
		if !passed[rule] {
			t.Errorf("%s: axe did not check %s", name, rule)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(fmt.Errorf("browser: %w", err))
	}
}

// TestPortalSignInInChromium: in a real browser, Sign in goes to the
// identity provider's page and, signed in there, back to the portal,
// which names the person on this page and the next. The error page of an
// answer for no sign-in passes axe-core.
func TestPortalSignInInChromium(t *testing.T) {
	base, _ := startSignInService(t)
	ctx := browser(t)
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/portal/?lang=en"),
		chromedp.Click(chromedp.CSS(`a[href^="/portal/sign-in"]`)),
		chromedp.WaitVisible(chromedp.CSS("#user-janis")),
		chromedp.Click(chromedp.CSS("#user-janis")),
		chromedp.Click(chromedp.CSS("#sign-in")),
		chromedp.WaitVisible(chromedp.CSS(".who")),
	))
	who, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".who")))
	must(t, err)
	if !strings.Contains(who, "Jānis Bērziņš") {
		t.Fatalf("after signing in at the provider the portal says %q", who)
	}
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/portal/services/lv-birth-certificate")))
	if who, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".who"))); err != nil || !strings.Contains(who, "Jānis") {
		t.Fatalf("on the next page: %q, %v", who, err)
	}
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/portal/callback?code=x&state=forged")))
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	must(t, err)
	if heading != "Sign-in not completed" {
		t.Fatalf("an answer for no sign-in shows %q", heading)
	}
	checkAccessible(t, ctx, "sign-in not completed")

	// A session that ran out is told on the next page (a stale cookie
	// stands in for an expired token).
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/portal/"),
		chromedp.Click(chromedp.CSS(`form[action="/portal/sign-out"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/portal/sign-in"]`)),
		chromedp.Evaluate[chromedp.Void](`document.cookie = "vienreiz_portal=stale; path=/portal/"`),
		chromedp.Navigate(base+"/portal/services/lv-birth-certificate"),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	))
	checkAccessible(t, ctx, "sign-in ended")
}

// TestPortalSearchFieldFitsTheScreen: the search field takes the width
// the filters leave, on a desktop (it was 215 px of a 912 px form) and on
// a 320 px phone (its whole width, without scrolling sideways).
func TestPortalSearchFieldFitsTheScreen(t *testing.T) {
	base := startService(t, t.TempDir())
	ctx := browser(t)
	for _, screen := range []struct {
		width    int64
		minField float64
	}{{1100, 400}, {320, 230}} {
		var got struct{ Page, Field float64 }
		must(t, chromedp.Do(ctx, chromedp.EmulateViewport(screen.width, 700), chromedp.Navigate(base+"/portal/?lang=en")))
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({Page: document.documentElement.scrollWidth, Field: document.querySelector('#q').getBoundingClientRect().width})`))
		must(t, err)
		must(t, json.Unmarshal([]byte(raw), &got))
		if got.Field < screen.minField || got.Page > float64(screen.width) {
			t.Errorf("%d px wide: the search field is %.0f px (want at least %.0f), the page %.0f px", screen.width, got.Field, screen.minField, got.Page)
		}
	}
	checkAccessible(t, ctx, "catalogue on a phone")
}
