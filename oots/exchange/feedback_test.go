package exchange_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestFeedbackOnAFinishedApplication (issue 15, P14): the owner rates a
// finished application once, with words; an open one or a second rating
// is refused, as are ratings outside 1–5. The clerks of the institution
// that runs the service read it (not who wrote it), a clerk elsewhere
// does not, the administrator reads everyone's, citizens none. On SQLite
// and PostgreSQL.
func TestFeedbackOnAFinishedApplication(t *testing.T) {
	for name, cfg := range configs(t) {
		t.Run(name, func(t *testing.T) {
			cfg.Auth = roleTokens
			base := start(t, cfg).URL()
			const owner = "token-owner"
			var done, open api.Request
			call(t, base, owner, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &done)
			call(t, base, owner, "POST", "/v1/requests/"+done.ID+"/cancel", nil, &done)
			call(t, base, owner, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &open)

			path := "/v1/requests/" + done.ID + "/feedback"
			for _, bad := range []api.NewFeedback{{Rating: 0}, {Rating: 6}, {Rating: 3, Text: strings.Repeat("ā", api.MaxFeedbackText+1)}} {
				if code := call(t, base, owner, "POST", path, bad, nil); code != http.StatusBadRequest {
					t.Errorf("rating %d with %d characters: %d, want 400", bad.Rating, len([]rune(bad.Text)), code)
				}
			}
			if code := call(t, base, owner, "POST", "/v1/requests/"+open.ID+"/feedback", api.NewFeedback{Rating: 5}, nil); code != http.StatusConflict {
				t.Errorf("feedback on an open application: %d, want 409", code)
			}
			if code := call(t, base, "token-other", "POST", path, api.NewFeedback{Rating: 1}, nil); code != http.StatusNotFound {
				t.Errorf("another person's feedback: %d, want 404", code)
			}
			var r api.Request
			if code := call(t, base, owner, "POST", path, api.NewFeedback{Rating: 4, Text: "  Ātri un skaidri.  "}, &r); code != http.StatusOK ||
				r.FeedbackRating != 4 || r.Timeline[len(r.Timeline)-1].Event != exchange.EventFeedbackGiven {
				t.Fatalf("feedback: %d %+v", code, r)
			}
			if code := call(t, base, owner, "POST", path, api.NewFeedback{Rating: 1}, nil); code != http.StatusConflict {
				t.Errorf("a second feedback: %d, want 409", code)
			}
			call(t, base, owner, "GET", "/v1/requests/"+done.ID, nil, &r)
			if r.FeedbackRating != 4 {
				t.Errorf("the request reads back rating %d", r.FeedbackRating)
			}

			var list api.FeedbackList
			if code := call(t, base, "token-clerk", "GET", "/v1/feedback", nil, &list); code != http.StatusOK || len(list.Items) != 1 || list.Average != 4 {
				t.Fatalf("the civil registry's clerk: %d %+v", code, list)
			}
			if f := list.Items[0]; f.RequestID != done.ID || f.ServiceID != "lv-birth-certificate" || f.Institution != "LV-DZS" || f.Rating != 4 || f.Text != "Ātri un skaidri." || f.At.IsZero() {
				t.Errorf("the clerk reads %+v", f)
			}
			if code := call(t, base, "token-clerk-ur", "GET", "/v1/feedback", nil, &list); code != http.StatusOK || len(list.Items) != 0 {
				t.Errorf("a clerk of another institution: %d %+v", code, list)
			}
			if code := call(t, base, "token-admin", "GET", "/v1/feedback", nil, &list); code != http.StatusOK || len(list.Items) != 1 {
				t.Errorf("the administrator: %d %+v", code, list)
			}
			if code := call(t, base, owner, "GET", "/v1/feedback", nil, nil); code != http.StatusForbidden {
				t.Errorf("a citizen lists feedback: %d, want 403", code)
			}
		})
	}
}
