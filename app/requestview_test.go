package app

import (
	"testing"

	"github.com/vienreiz/vienreiz/api"
)

// TestViewOfDecidesStepAndActions: the one place that reads a request's
// state gives each page its step and the actions it allows.
func TestViewOfDecidesStepAndActions(t *testing.T) {
	given := []api.Step{{Event: "created"}, {Event: "explicit_request_given"}}
	for name, c := range map[string]struct {
		req  api.Request
		want RequestView
	}{
		"questions":            {api.Request{State: "needs_attributes"}, RequestView{Step: StepAnswer, CanCancel: true}},
		"explicit request":     {api.Request{State: "ready"}, RequestView{Step: StepExplicitRequest, CanCancel: true}},
		"sent":                 {api.Request{State: "sent", Timeline: given}, RequestView{Step: StepWait, CanCancel: true, Waiting: true}},
		"preview in browser":   {api.Request{State: "preview_required", PreviewURL: "https://p/x"}, RequestView{Step: StepPreviewInBrowser, CanCancel: true}},
		"preview to fetch":     {api.Request{State: "preview_required"}, RequestView{Step: StepOpenPreview, CanCancel: true}},
		"preview shown":        {api.Request{State: "preview_required", Preview: &api.Preview{}}, RequestView{Step: StepDecide, CanCancel: true}},
		"failed look-up":       {api.Request{State: "failed"}, RequestView{Step: StepRetry, CanArchive: true}},
		"failed after sending": {api.Request{State: "failed", Timeline: given}, RequestView{CanArchive: true}},
		"delivered":            {api.Request{State: "delivered", Timeline: given}, RequestView{Step: StepDelivered, CanArchive: true}},
		"archived":             {api.Request{State: "refused", Archived: true}, RequestView{}},
	} {
		if got := ViewOf(&c.req); got != c.want {
			t.Errorf("%s: %+v, want %+v", name, got, c.want)
		}
	}
}
