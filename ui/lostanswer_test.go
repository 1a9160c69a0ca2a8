package ui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/client"
)

// answerLost is the service whose first answer to a new request is lost
// on its way back (a network gone mid-call): the service made the
// request, the app hears that it cannot be reached.
type answerLost struct {
	*client.Client
	lost atomic.Bool
}

func (a *answerLost) CreateRequest(ctx context.Context, in api.NewRequest) (*api.Request, error) {
	out, err := a.Client.CreateRequest(ctx, in)
	if err == nil && a.lost.CompareAndSwap(false, true) {
		return nil, fmt.Errorf("read tcp: connection reset by peer: %w", client.ErrUnavailable)
	}
	return out, err
}

// TestAStartWhoseAnswerWasLostMakesOneRequest: found by trying the app
// with the network failing (the last session's note): Start with no
// answer, then Start again, made two requests for the same evidence once
// the service had both. The second Start carries the first one's key and
// opens the request the first one made.
func TestAStartWhoseAnswerWasLostMakesOneRequest(t *testing.T) {
	w, s, _ := newAppOver(t, "en", func(c *client.Client) app.ServiceAPI { return &answerLost{Client: c} })
	sc := servicesScreen(t, w)
	sc.OpenService("lv-vehicle-registration")
	eventually(t, "the service page", func() bool { return strings.Contains(labels(w.Content()), "Evidence needed") })
	start := func() {
		t.Helper()
		tapButton(t, w, "Request it online")
		overlay, choice := countryDialog(t, w)
		if choice.Selected == "" {
			choice.SetSelectedIndex(0)
		}
		for _, b := range find[*widget.Button](overlay) {
			if b.Text == "Start" {
				test.Tap(b)
				return
			}
		}
		t.Fatal("no Start in the country dialog")
	}
	start()
	if text := dialogText(t, w); !strings.Contains(text, "cannot be reached") {
		t.Fatalf("after the lost answer the app says:\n%s", text)
	}
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	start()
	eventually(t, "the request's page", func() bool {
		return len(find[*RequestsScreen](w.Content())) == 1 && find[*RequestsScreen](w.Content())[0].nav.Depth() == 1
	})
	if err := s.Requests.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := s.Requests.List.Length(); n != 1 {
		t.Fatalf("two Starts, the first one's answer lost, made %d requests", n)
	}
}
