package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
)

// TestFeedbackAfterAFinishedApplication (issue 15, P14): the page of a
// finished application asks for a rating and a comment; Send waits for a
// rating; once sent, the service keeps it and the page thanks the person
// with their rating instead of asking again. An open application asks
// nothing.
func TestFeedbackAfterAFinishedApplication(t *testing.T) {
	w, s := newApp(t, "en")
	open := startRequest(t, s, "lv-birth-certificate", "LV")
	test.Tap(navButtons(t, w)[TabRequests])
	rs := find[*RequestsScreen](w.Content())[0]
	rs.Open(open.ID)
	if strings.Contains(labels(w.Content()), "Your feedback") {
		t.Fatal("an open application asks for feedback")
	}

	done := deliverRequest(t, s)
	rs.Open(done.ID)
	eventually(t, "the feedback card", func() bool { return strings.Contains(labels(w.Content()), "Your feedback") })
	var send *wrapButton
	for _, b := range find[*wrapButton](w.Content()) {
		if b.Text == "Send feedback" {
			send = b
		}
	}
	if send == nil || !send.Disabled() {
		t.Fatal("Send is missing or enabled before a rating is chosen")
	}
	var rating *widget.Select
	for _, sel := range find[*widget.Select](w.Content()) {
		if len(sel.Options) == 5 && sel.Options[0] == "5 — very good" {
			rating = sel
		}
	}
	if rating == nil {
		t.Fatal("no rating choice from 5 to 1")
	}
	rating.SetSelected("4 — good")
	entries := find[*widget.Entry](w.Content())
	if len(entries) == 0 {
		t.Fatal("no comment box")
	}
	entries[len(entries)-1].SetText("Quick, but the form was long.")
	test.Tap(send)
	eventually(t, "the thanks", func() bool { return strings.Contains(labels(w.Content()), "Your rating: 4 — good") })
	if strings.Contains(labels(w.Content()), "Send feedback") {
		t.Error("the page asks again after the feedback was sent")
	}
	r := waitRequest(t, s, done.ID, "delivered")
	if r.FeedbackRating != 4 {
		t.Fatalf("the service keeps rating %d, want 4", r.FeedbackRating)
	}
}

// TestFeedbackListForClerks: what a clerk or an administrator reads — the
// average and each feedback with its service, rating, time and comment —
// in Latvian.
func TestFeedbackListForClerks(t *testing.T) {
	newApp(t, "lv")
	at := time.Date(2026, 12, 4, 10, 30, 0, 0, time.UTC)
	list := &api.FeedbackList{Average: 3.5, Items: []api.Feedback{
		{RequestID: "r1", ServiceID: "lv-birth-certificate", Rating: 5, Text: "Ātri.", At: at},
		{RequestID: "r2", ServiceID: "lv-birth-certificate", Rating: 2, At: at},
	}}
	text := labels(feedbackList(list, map[string]string{"lv-birth-certificate": "Dzimšanas apliecība"}, "lv"))
	for _, want := range []string{"Vidējais vērtējums 3,5 no 2", "5 — ļoti labi", "2 — slikti", "Dzimšanas apliecība · ", "Ātri."} {
		if !strings.Contains(text, want) {
			t.Errorf("the list lacks %q:\n%s", want, text)
		}
	}
	if text := labels(feedbackList(&api.FeedbackList{}, nil, "lv")); !strings.Contains(text, "Atsauksmju vēl nav") {
		t.Errorf("an empty list says %q", text)
	}
}
