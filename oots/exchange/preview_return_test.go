package exchange_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/network/networktest"
)

// returningNetwork is the embedded demo network run as a real network
// runs: citizens open the preview spaces in their browsers and come back
// to this service (Connection.PreviewReturn, the network file's
// preview.return_base_url). Browser is an https client that trusts the
// demo preview space.
type returningNetwork struct {
	demonet.Embedded
	browser *http.Client
}

func (n *returningNetwork) Connect(ctx context.Context, site exchange.Site) (*exchange.Connection, error) {
	c, err := n.Embedded.Connect(ctx, site)
	if err != nil {
		return nil, err
	}
	c.PreviewReturn = site.URL + "/"
	b := *c.Preview.(*http.Client)
	n.browser = &b
	return c, nil
}

// TestPreviewInTheBrowserAndBack follows the OOTS browser flow end to
// end over real AS4 against the demo member state: the request view
// gives the preview URL (PreviewLocation with our return URL in returnurl);
// the browser signs in at the provider's preview space, sees the evidence,
// decides there and is sent back to the request's direct link on this
// service; the app then says the citizen is back (owner only), the
// service sends the second request with the PreviewLocation, and the
// provider answers with the evidence, or with the refusal.
func TestPreviewInTheBrowserAndBack(t *testing.T) {
	net := &returningNetwork{Embedded: demonet.Embedded{ObserveSend: observeSend}}
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: people, Network: net}).URL()
	for decision, want := range map[string]string{"approve": "delivered", "refuse": "failed"} {
		t.Run(decision, func(t *testing.T) {
			var r api.Request
			call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
			call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
			r = waitState(t, base, janisToken, r.ID, "preview_required")
			back := base + "/open/requests/" + r.ID
			if wantURL := r.PreviewLocation + "?returnurl=" + url.QueryEscape(back); r.PreviewURL != wantURL {
				t.Fatalf("preview URL %q, want %q", r.PreviewURL, wantURL)
			}
			var list api.RequestList
			call(t, base, janisToken, "GET", "/v1/requests", nil, &list)
			if list.Requests[0].PreviewURL != r.PreviewURL {
				t.Fatalf("the list gives preview URL %q, the request %q", list.Requests[0].PreviewURL, r.PreviewURL)
			}

			// The browser: sign in, see the evidence, decide, come back.
			at, pages, err := networktest.Browser(net.browser, r.PreviewURL, "LV/LV/01019012345", decision)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(pages[1], "Bērziņ") {
				t.Fatalf("the preview space shows no evidence: %q", pages[1])
			}
			if at != back || !strings.Contains(pages[2], "vienreiz://requests/"+r.ID) {
				t.Fatalf("the browser ended at %q, want %q opening the app: %q", at, back, pages[2])
			}

			// Only the owner, signed in, moves the request on.
			var e api.ErrorBody
			if code := call(t, base, "", "POST", "/v1/requests/"+r.ID+"/preview/returned", nil, &e); code != http.StatusUnauthorized {
				t.Fatalf("without sign-in: %d", code)
			}
			if code := call(t, base, ievaToken, "POST", "/v1/requests/"+r.ID+"/preview/returned", nil, &e); code != http.StatusNotFound {
				t.Fatalf("another person: %d", code)
			}
			var moved api.Request
			if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/returned", nil, &moved); code != http.StatusOK || moved.PreviewURL != "" {
				t.Fatalf("the owner: %d, state %s, preview URL %q", code, moved.State, moved.PreviewURL)
			}
			if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/returned", nil, &e); code != http.StatusConflict {
				t.Fatalf("coming back twice: %d %+v", code, e)
			}
			r = waitState(t, base, janisToken, r.ID, want)
			switch decision {
			case "approve":
				if len(r.Evidence) == 0 {
					t.Fatalf("delivered without evidence: %+v", r)
				}
				if got := events(r); got != "created,provider_found,explicit_request_given,query_sent,preview_requested,preview_returned,query_sent,evidence_delivered,offered" {
					t.Fatalf("timeline %s", got)
				}
			case "refuse":
				if len(r.Evidence) != 0 || !strings.Contains(r.Problem, "refused") {
					t.Fatalf("after refusing at the provider: evidence %d, problem %q", len(r.Evidence), r.Problem)
				}
			}
		})
	}
}

// TestDemoShowsPreviewsItself: without a preview return URL (the demo)
// there is no browser address and no coming back; the service fetches the
// preview (TestFullExchangeOverAS4).
func TestDemoShowsPreviewsItself(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
	r = waitState(t, base, janisToken, r.ID, "preview_required")
	var e api.ErrorBody
	if r.PreviewURL != "" || call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/returned", nil, &e) != http.StatusBadRequest {
		t.Fatalf("demo: preview URL %q, coming back: %+v", r.PreviewURL, e)
	}
}

// TestBackFromThePreviewBeforeDeciding: a citizen who comes back from the
// provider's preview space without deciding (closed it, went back) finds
// the preview waiting again rather than a request hanging until its
// time-out: the provider answers the second request with the same
// preview, and after deciding there the next return brings the evidence.
func TestBackFromThePreviewBeforeDeciding(t *testing.T) {
	net := &returningNetwork{Embedded: demonet.Embedded{ObserveSend: observeSend}}
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: people, Network: net}).URL()
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
	first := waitState(t, base, janisToken, r.ID, "preview_required")
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/returned", nil, &r); code != http.StatusOK {
		t.Fatalf("back without deciding: %d", code)
	}
	waitEvents(t, base, r.ID, "query_sent,preview_requested,preview_returned,query_sent,preview_requested")
	again := waitState(t, base, janisToken, r.ID, "preview_required")
	if again.PreviewLocation != first.PreviewLocation || again.PreviewURL != first.PreviewURL {
		t.Fatalf("the preview waiting again is %q, not the first %q", again.PreviewURL, first.PreviewURL)
	}
	if _, _, err := networktest.Browser(net.browser, again.PreviewURL, "LV/LV/01019012345", "approve"); err != nil {
		t.Fatal(err)
	}
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/returned", nil, &r)
	if r = waitState(t, base, janisToken, r.ID, "delivered"); len(r.Evidence) == 0 {
		t.Fatalf("delivered without evidence: %+v", r)
	}
}

// waitEvents waits until the request's timeline holds want (a
// comma-separated run of events) or fails the test.
func waitEvents(t *testing.T, base, id, want string) {
	t.Helper()
	var r api.Request
	for range 400 {
		call(t, base, janisToken, "GET", "/v1/requests/"+id, nil, &r)
		if strings.Contains(events(r), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timeline %s lacks %s", events(r), want)
}
