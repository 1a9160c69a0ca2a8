package ui

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/assets"
)

// texts returns every text a person can read under root: labels, rich
// text, buttons, cards, form items, choices and their placeholders,
// entries' placeholders and the navigation's captions.
func texts(root fyne.CanvasObject) []string {
	// A note that the giver does not offer the user's language declares
	// the text it stands under as the giver's, not ours (a label's text
	// is also its rich text's).
	note := strings.Split(lang.L("text.other_language", map[string]any{"Language": "\x01", "Wanted": "\x01"}), "\x01")[0]
	givers := map[string]bool{}
	labels := find[*widget.Label](root)
	for i, l := range labels {
		if i+1 < len(labels) && strings.HasPrefix(labels[i+1].Text, note) {
			givers[l.Text] = true
		}
	}
	var out []string
	add := func(s ...string) {
		for _, t := range s {
			if strings.TrimSpace(t) != "" && !givers[t] {
				out = append(out, t)
			}
		}
	}
	for _, l := range labels {
		add(l.Text)
	}
	for _, r := range find[*widget.RichText](root) {
		add(r.String())
	}
	for _, b := range find[*widget.Button](root) {
		add(b.Text)
	}
	for _, c := range find[*widget.Card](root) {
		add(c.Title, c.Subtitle)
	}
	for _, f := range find[*widget.Form](root) {
		if f.OnSubmit != nil {
			add(f.SubmitText)
		}
		if f.OnCancel != nil {
			add(f.CancelText)
		}
		for _, it := range f.Items {
			if !strings.HasPrefix(it.HintText, note) {
				add(it.Text)
			}
			add(it.HintText)
		}
	}
	for _, s := range find[*widget.Select](root) {
		if s.Selected == "" {
			add(s.PlaceHolder)
		}
		add(s.Selected)
		add(s.Options...)
	}
	for _, e := range find[*widget.Entry](root) {
		add(e.PlaceHolder)
	}
	for _, c := range find[*widget.Check](root) {
		add(c.Text)
	}
	for _, h := range find[*widget.Hyperlink](root) {
		add(h.Text)
	}
	for _, b := range find[*navButton](root) {
		add(b.label)
	}
	return out
}

// englishWords are the words of our English texts (en.json) that no
// Latvian text uses, and English words a translation would never keep.
func englishWords(t *testing.T) map[string]bool {
	t.Helper()
	read := func(code string) map[string]string {
		data, err := assets.Translations.ReadFile(assets.TranslationsDir + "/" + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				out[k] = v
			case map[string]any: // plural forms
				for form, text := range v {
					out[k+"."+form], _ = text.(string)
				}
			}
		}
		return out
	}
	words := regexp.MustCompile(`\p{L}{3,}`)
	placeholder := regexp.MustCompile(`{{[^}]*}}`)
	latvian := map[string]bool{}
	for _, v := range read("lv") {
		for _, w := range words.FindAllString(placeholder.ReplaceAllString(v, ""), -1) {
			latvian[w] = true
		}
	}
	out := map[string]bool{"the": true, "and": true, "Yes": true, "Cancel": true, "Select": true, "your": true, "Your": true}
	for _, v := range read("en") {
		for _, w := range words.FindAllString(placeholder.ReplaceAllString(v, ""), -1) {
			if !latvian[w] {
				out[w] = true
			}
		}
	}
	return out
}

// TestLatvianInterfaceHasNoEnglish (defect 3) walks the app in Latvian
// as a person would — the catalogue, a service page and its country
// choice, a request from its explicit request through the preview to
// delivery, the wallet and a document, the inbox, the profile and the
// help centre, a failed request, a question from the directory, the
// cancel question — and fails on any English word of ours on a screen.
func TestLatvianInterfaceHasNoEnglish(t *testing.T) {
	english := englishWords(t)
	w, s := newApp(t, "lv")
	ctx := context.Background()
	found := map[string][]string{} // English word → where
	code := regexp.MustCompile(`\b[a-z]+(_[a-z0-9]+)+\b`)
	looked := map[string]int{} // screen → texts read there
	look := func(where string) {
		t.Helper()
		roots := []fyne.CanvasObject{w.Content()}
		if top := w.Canvas().Overlays().Top(); top != nil {
			roots = append(roots, top)
		}
		for _, root := range roots {
			for _, text := range texts(root) {
				looked[where]++
				text = code.ReplaceAllString(text, "") // error codes such as not_found are names, not words
				for _, word := range regexp.MustCompile(`\p{L}{3,}`).FindAllString(text, -1) {
					if english[word] && !slices.Contains(app.HelpCodes, word) { // a code is a name
						found[word] = append(found[word], where+": "+strings.ReplaceAll(text, "\n", " "))
					}
				}
			}
		}
	}
	closeOverlay := func() {
		if top := w.Canvas().Overlays().Top(); top != nil {
			w.Canvas().Overlays().Remove(top)
		}
	}

	sc := servicesScreen(t, w)
	eventually(t, "the catalogue", func() bool { return s.Catalogue.Results.Length() > 0 })
	look("services")
	sc.OpenService("lv-birth-certificate")
	look("service page")
	tapButton(t, w, "Pieprasīt tiešsaistē")
	look("country choice")
	closeOverlay()

	req := startRequest(t, s, "lv-birth-certificate", "LV")
	test.Tap(navButtons(t, w)[TabRequests])
	requests := find[*RequestsScreen](w.Content())[0]
	look("requests")
	requests.Open(req.ID)
	look("explicit request")
	tapButton(t, w, "Atsaukt pieprasījumu")
	look("cancel question")
	closeOverlay()
	if _, err := s.Requests.GiveExplicitRequest(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	waitRequest(t, s, req.ID, "preview_required")
	requests.Open(req.ID)
	look("preview waiting")
	if _, err := s.Requests.OpenPreview(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	requests.Open(req.ID)
	look("preview")
	if _, err := s.Requests.Decide(ctx, req.ID, true); err != nil {
		t.Fatal(err)
	}
	waitRequest(t, s, req.ID, "delivered")
	_ = s.Requests.Refresh(ctx)
	requests.Open(req.ID)
	look("delivered")

	failed := startRequest(t, s, "lv-pension-claim", "FI")
	requests.Open(failed.ID)
	look("failed request")

	vehicle, err := s.Catalogue.Service(ctx, "de-vehicle-registration")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range vehicle.Evidence {
		if r, err := s.Requests.Create(ctx, vehicle.ID, e.Requirement, "DE"); err == nil && r.State == "needs_attributes" {
			requests.Open(r.ID)
			look("directory question")
		}
	}

	test.Tap(navButtons(t, w)[TabWallet])
	look("wallet")
	if ws := walletScreen(t, w); ws != nil {
		if lists := find[*widget.List](ws); len(lists) == 1 && lists[0].Length() > 0 {
			lists[0].Select(0)
			look("wallet document")
		}
	}

	_ = s.Inbox.Refresh(ctx)
	test.Tap(navButtons(t, w)[TabInbox])
	look("inbox")

	test.Tap(navButtons(t, w)[TabProfile])
	look("profile")
	showHelpIndex(w)
	look("help centre")
	closeOverlay()
	for _, code := range app.HelpCodes {
		showHelp(w, code)
		look("help page " + code)
		closeOverlay()
	}

	for _, where := range []string{"service page", "country choice", "explicit request", "cancel question", "preview", "delivered", "failed request", "directory question", "wallet document", "inbox", "help centre"} {
		if looked[where] < 3 {
			t.Errorf("the walk did not reach %s (%d texts read there)", where, looked[where])
		}
	}
	if len(found) > 0 {
		words := make([]string, 0, len(found))
		for word := range found {
			words = append(words, word)
		}
		sort.Strings(words)
		var b strings.Builder
		for _, word := range words {
			where := slices.Compact(found[word])
			b.WriteString("\n" + word + ":\n\t" + strings.Join(where[:min(3, len(where))], "\n\t"))
		}
		t.Fatalf("English in the Latvian interface (%d words):%s", len(words), b.String())
	}
}
