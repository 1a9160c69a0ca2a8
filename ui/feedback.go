package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

// ratingName is a rating as the person chooses it ("4 — good").
func ratingName(rating int) string {
	return lang.L(fmt.Sprintf("feedback.rating_%d", rating))
}

// feedbackCard asks the owner of a finished application for a rating and
// words (P14); once given, it thanks them and shows the rating.
func (r *RequestsScreen) feedbackCard(req *api.Request) fyne.CanvasObject {
	if !app.ViewOf(req).CanGiveFeedback {
		if req.FeedbackRating == 0 {
			return nil
		}
		return titledCard(lang.L("feedback.title"), "", wrapped(lang.L("feedback.thanks", map[string]any{"Rating": ratingName(req.FeedbackRating)})))
	}
	names := make([]string, len(app.Ratings))
	for i, n := range app.Ratings {
		names[i] = ratingName(n)
	}
	rating := widget.NewSelect(names, nil)
	rating.PlaceHolder = lang.L("select.placeholder")
	text := newGrowingEntry()
	text.SetPlaceHolder(lang.L("feedback.text_hint"))
	send := newWrapButton(lang.L("feedback.send"), theme.MailSendIcon(), func() {
		i := rating.SelectedIndex()
		if i < 0 {
			return
		}
		words := text.Text
		r.act(func(ctx context.Context) (*api.Request, error) {
			return r.sess.Requests.GiveFeedback(ctx, req.ID, app.Ratings[i], words)
		})
	})
	send.SetImportance(widget.HighImportance)
	send.Disable()
	rating.OnChanged = func(string) { send.Enable() }
	return titledCard(lang.L("feedback.title"), "", container.NewVBox(
		wrapped(lang.L("feedback.body")),
		newFacts(widget.NewFormItem(lang.L("feedback.rating"), rating), widget.NewFormItem(lang.L("feedback.text"), text)),
		send))
}

// feedbackButton opens the feedback the clerk's institution received
// (everyone's for an administrator).
func feedbackButton(win fyne.Window, s *app.Session) fyne.CanvasObject {
	return newWrapButton(lang.L("feedback.list_title"), theme.MailComposeIcon(), func() { showFeedback(win, s) })
}

// showFeedback loads the feedback and shows it over win: the average
// rating, then each feedback with its service, rating, time and words.
func showFeedback(win fyne.Window, s *app.Session) {
	call(s, func(ctx context.Context) {
		list, err := s.Feedback.Load(ctx)
		if err != nil {
			fyne.Do(func() { showProblem(win, app.ProblemOf(err)) })
			return
		}
		code := s.Language.Code()
		services := map[string]string{}
		for _, f := range list.Items {
			if _, ok := services[f.ServiceID]; !ok {
				services[f.ServiceID] = f.ServiceID
				if svc, err := s.Catalogue.Service(ctx, f.ServiceID); err == nil {
					services[f.ServiceID] = svc.Name.In(code)
				}
			}
		}
		fyne.Do(func() { showDialog(win, lang.L("feedback.list_title"), feedbackList(list, services, code)) })
	})
}

// feedbackList shows list with the services' names, in language code.
func feedbackList(list *api.FeedbackList, services map[string]string, code string) fyne.CanvasObject {
	if len(list.Items) == 0 {
		return wrapped(lang.L("feedback.none"))
	}
	avg := fmt.Sprintf("%.1f", list.Average)
	if code == "lv" {
		avg = strings.Replace(avg, ".", ",", 1)
	}
	box := container.NewVBox(boldWrapped(lang.L("feedback.average", map[string]any{"Average": avg, "Count": len(list.Items)})))
	for _, f := range list.Items {
		box.Add(widget.NewSeparator())
		box.Add(boldWrapped(ratingName(f.Rating)))
		box.Add(wrapped(services[f.ServiceID] + " · " + formatTime(f.At)))
		if f.Text != "" {
			box.Add(wrapped(f.Text))
		}
	}
	return box
}
