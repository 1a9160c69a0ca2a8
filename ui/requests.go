package ui

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/catalogue"
)

// callTimeout bounds one call to the exchange service from the UI.
const callTimeout = 20 * time.Second

// call runs work off the UI thread (the session's Background) with a
// context that ends after callTimeout, or when the session ends.
func call(s *app.Session, work func(ctx context.Context)) {
	s.Background(func() {
		ctx, cancel := context.WithTimeout(s.Context(), callTimeout)
		defer cancel()
		work(ctx)
	})
}

// RequestsScreen lists the user's evidence requests; a request opens its
// page with its state, the next step and its timeline.
type RequestsScreen struct {
	widget.BaseWidget
	sess *app.Session
	win  fyne.Window
	nav  *pages
	list *widget.List
	// finder narrows the list to the rows with the words typed.
	finder *listFinder
	// OpenService, when set, shows a catalogue service's page: the
	// services a delivered document also serves lead there.
	OpenService func(id string)
	// AskAgain, when set, offers the country choice of a service's
	// evidence (requirement) again: a request to a country that holds no
	// such evidence leads there, and one that ended without evidence.
	AskAgain func(serviceID, requirement string)

	services *listedServices
	// unfollow ends the following of the request page shown (UI goroutine).
	unfollow func()
	// openURL opens the provider's preview space in the browser, and a
	// delivered document in the system's viewer (tests record it).
	openURL func(*url.URL) error
	saver   *saver
}

// NewRequestsScreen builds the requests screen and loads the list.
func NewRequestsScreen(win fyne.Window, s *app.Session) *RequestsScreen {
	r := &RequestsScreen{sess: s, win: win, services: newListedServices(s), openURL: systemOpener(s), saver: newSaver(win, s)}
	r.ExtendBaseWidget(r)
	model := s.Requests
	finder := newListFinder(s, model.List, model.Loads, "requests.find", func(v any) string {
		req, _ := v.(api.Request)
		top, bottom := r.rowText(req)
		return top + " " + bottom
	})
	var listed fyne.CanvasObject
	r.list, listed = newValueList(s, finder.Shown, newTwoLineRow, func(v any, obj fyne.CanvasObject) {
		if req, ok := v.(api.Request); ok {
			title, summary := r.rowText(req)
			setTwoLineRow(obj, title, summary)
		}
	})
	r.finder = finder
	r.services.redraw = func() { // a service's name came: a row's text changed
		finder.find()
		r.list.Refresh()
	}
	r.list.OnSelected = func(id widget.ListItemID) {
		r.list.Unselect(id)
		if v, err := finder.Shown.GetValue(id); err == nil {
			if req, ok := v.(api.Request); ok {
				r.Open(req.ID)
			}
		}
	}
	empty := NewEmptyState(theme.DocumentIcon(), "requests")
	problem := newProblemLabel(win, s, model.Problem, model.ProblemCode)
	body := container.NewStack(listed, empty)
	listen(s, model.List, func() {
		if model.List.Length() == 0 {
			empty.Show()
			r.list.Hide()
		} else {
			empty.Hide()
			r.list.Show()
		}
	})
	showArchived := widget.NewCheckWithData("", model.ShowArchived)
	whileDrawn(s, showArchived.Unbind)
	listen(s, model.Archived, func() {
		n, _ := model.Archived.Get()
		showArchived.SetText(lang.L("requests.show_archived", map[string]any{"Count": n}))
		if n == 0 {
			showArchived.Hide()
		} else {
			showArchived.Show()
		}
	})
	r.nav = newPages(newBorder(container.NewVBox(problem, showArchived, finder.Entry, finder.None), nil, nil, nil, body), lang.L("requests.title"))
	call(s, func(ctx context.Context) {
		_ = model.Refresh(ctx)
	})
	return r
}

// CreateRenderer draws the navigation stack.
func (r *RequestsScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(r.nav)
}

// Open shows the page of request id on top of the list.
func (r *RequestsScreen) Open(id string) {
	call(r.sess, func(ctx context.Context) {
		req, err := r.sess.Requests.Get(ctx, id)
		if err != nil {
			return // the model shows the problem
		}
		r.present(ctx, req, true)
	})
}

// present shows req's page (see show) with the service it serves, which
// it fetches first; it runs in the background.
func (r *RequestsScreen) present(ctx context.Context, req *api.Request, open bool) {
	svc := r.services.cache.Get(ctx, req.ServiceID)
	fyne.Do(func() {
		r.show(req, svc, open)
		r.follow(req)
	})
}

// listedService is the catalogue service of a listed request: its row
// ends with the service's name, and the service names the evidence when
// the provider did not in the user's language; nil until read (see
// listedServices).
func (r *RequestsScreen) listedService(req api.Request) *catalogue.Service {
	return r.services.of(req.ServiceID)
}

// show puts the page of req above the list: as the only page when open
// is set (a request opened from anywhere does not pile up behind the
// next), else in place of the current page (the same request redrawn).
func (r *RequestsScreen) show(req *api.Request, svc *catalogue.Service, open bool) {
	if open {
		r.nav.Open(r.page(req, svc), evidenceTitle(*req, svc, r.sess.Language.Code()))
		return
	}
	r.nav.Replace(r.page(req, svc), evidenceTitle(*req, svc, r.sess.Language.Code()))
}

// Home shows the list, the request page closed and no longer followed.
func (r *RequestsScreen) Home() {
	r.nav.Home()
	if r.unfollow != nil {
		r.unfollow()
		r.unfollow = nil
	}
}

// follow has the page of req redrawn when the event stream says its
// request changed state, whatever its next step: the provider's answer,
// and a change made elsewhere (one the person stopped waiting for, on
// another device, by a clerk). A page shown since ends the following of
// the one before.
func (r *RequestsScreen) follow(req *api.Request) {
	if r.unfollow != nil {
		r.unfollow()
		r.unfollow = nil
	}
	changed := func(next *api.Request) {
		if next.State == req.State {
			return
		}
		ctx, cancel := context.WithTimeout(r.sess.Context(), callTimeout)
		defer cancel()
		r.present(ctx, next, false)
	}
	r.unfollow = r.sess.Requests.Follow(req.ID, changed)
	// The provider may have answered between req being read and the
	// following starting, its event gone by: read it once more.
	call(r.sess, func(ctx context.Context) {
		if next, err := r.sess.Requests.Get(ctx, req.ID); err == nil {
			changed(next)
		}
	})
}

// act runs a change in the background and redraws the page with its result.
func (r *RequestsScreen) act(change func(ctx context.Context) (*api.Request, error)) {
	perform(r.win, r.sess, func(ctx context.Context) func() {
		req, err := change(ctx)
		if err != nil {
			return func() {
				if !signInAgain(r.win, r.sess, err, func() { r.act(change) }) {
					showProblem(r.win, app.ProblemOf(err))
				}
			}
		}
		r.present(ctx, req, false)
		return nil
	})
}

// page is the request's page: facts, the next step and the timeline.
func (r *RequestsScreen) page(req *api.Request, svc *catalogue.Service) fyne.CanvasObject {
	code := r.sess.Language.Code()
	named := evidenceTitle(*req, svc, code) // as the page is titled
	facts := newFacts()
	if svc != nil {
		addFact(facts, lang.L("request.service"), wrapped(svc.Name.In(code)))
		// The catalogue holds other member states' services too: the
		// authority that receives the evidence is the service's.
		addFact(facts, lang.L("request.handled_by"), wrapped(svc.Provider.Name.In(code)+" ("+countryName(svc.Country)+")"))
		// The page is titled by the provider's evidence type; the service
		// page named the need it meets otherwise.
		if need := neededEvidence(svc, req.Requirement, code); need != "" && need != named {
			addFact(facts, lang.L("request.meets"), wrapped(need))
		}
	}
	// Named as the service does, the evidence keeps the provider's name.
	if own := app.ProviderName(typeTitles(*req), code); own != "" && own != named {
		addFact(facts, lang.L("request.provider_name"), wrapped(own))
	}
	addFacts(facts,
		widget.NewFormItem(lang.L("request.state"), wrapped(stateName(app.ShownState(req)))),
		widget.NewFormItem(lang.L("detail.country"), wrapped(countryName(req.Country))),
	)
	if req.Provider != nil {
		addFact(facts, lang.L("detail.provider"), wrapped(providerName(req.Provider, code)))
	}
	if line := representedLine(r.sess, req); line != "" {
		addFact(facts, lang.L("acting.mandate"), wrapped(line))
	}
	if req.AskedBy != nil {
		addFact(facts, lang.L("request.asked_by"), wrapped(lang.L("request.asked_by_body", map[string]any{"Institution": req.AskedBy.Name.In(code)})))
	}
	if req.ExpectedBy != nil {
		label := "request.expected_by"
		if app.ViewOf(req).YourTurn() {
			label = "request.answer_by" // the date is the person's, not the provider's
		}
		addFact(facts, lang.L(label), wrapped(formatTime(*req.ExpectedBy)))
	}
	addDecision(facts, req)
	if req.ErrorCode != "" {
		p := app.RequestProblem(req)
		addProblem(r.win, facts, p.Text+" ("+p.Code+")", p.Code, lang.L("help.open"))
	}
	box := container.NewVBox(facts, container.New(&sideBySide{}, copyLinkButton(r.win, r.sess.Links, app.RequestLink(req.ID)), pairButton(r.win, r.sess, req.ID, "pair.button")))
	if step := r.nextStep(req, svc); step != nil {
		box.Add(step)
	}
	var scroll *container.Scroll
	relayout := func() {
		if scroll != nil { // nil while the page is built (the names came at once)
			scroll.Refresh()
		}
	}
	if offers := r.offers(req, relayout); offers != nil {
		box.Add(offers)
	}
	box.Add(widget.NewLabelWithStyle(lang.L("request.timeline"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	states := app.ShownStates(req)
	names := app.EventNames(timelineEvents(req.Timeline))
	for i, s := range req.Timeline {
		line := stepName(s, names[i], code) + " · " + formatTime(s.At)
		// Only the step under way has a date to wait for: an earlier
		// step's was met or replaced by the next.
		if s.ExpectedBy != nil && i == len(req.Timeline)-1 {
			line += " · " + lang.L("request.next_by", map[string]any{"Time": formatTime(*s.ExpectedBy)})
		}
		// Every step on as many lines as it takes: on a phone the
		// expected-by date was cut off.
		title := widget.NewLabelWithStyle(line, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		below := wrapped(stateName(states[i]))
		below.SizeName = theme.SizeNameCaptionText
		if s.From != nil && s.Detail != "" { // a clerk's words, whole
			below = wrapped(s.Detail)
		}
		box.Add(container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), title, below))
	}
	if fb := r.feedbackCard(req); fb != nil {
		box.Add(fb)
	}
	view := app.ViewOf(req)
	if view.CanCancel {
		cancel := newWrapButton(lang.L("request.cancel"), theme.CancelIcon(), func() {
			confirm(r.win, lang.L("request.cancel"), lang.L("request.cancel_confirm"), lang.L("request.cancel_yes"), func() {
				r.act(func(ctx context.Context) (*api.Request, error) { return r.sess.Requests.Cancel(ctx, req.ID) })
			})
		})
		cancel.SetImportance(widget.DangerImportance)
		box.Add(cancel)
	}
	if view.CanArchive {
		archive := newWrapButton(lang.L("request.archive"), theme.FolderIcon(), func() {
			r.act(func(ctx context.Context) (*api.Request, error) { return r.sess.Requests.Archive(ctx, req.ID) })
		})
		box.Add(wrapped(lang.L("request.archive_body")))
		box.Add(buttons(archive))
	}
	page, scroll := newFormPage(container.NewPadded(box)) // its questions are fields
	return page
}

// nextStep is what the user can do now: answer the directory's questions
// or give the explicit request; nil when the next step is not theirs.
func (r *RequestsScreen) nextStep(req *api.Request, svc *catalogue.Service) fyne.CanvasObject {
	view := app.ViewOf(req)
	switch view.Step {
	case app.StepAnswer:
		form := r.answersForm(req, lang.L("request.give_attributes"), func(values map[string]string) {
			r.act(func(ctx context.Context) (*api.Request, error) {
				return r.sess.Requests.GiveAttributes(ctx, req.ID, values)
			})
		})
		return titledCard(lang.L("request.attributes_title"), lang.L("request.attributes_body"), form)
	case app.StepExplicitRequest:
		provider := providerName(req.Provider, r.sess.Language.Code())
		legal := req.LegalBasis
		if svc != nil {
			legal = svc.LegalBasis.In(r.sess.Language.Code())
		}
		key := "request.explicit_body"
		if actsFor(r.sess, req) {
			key = "request.explicit_body_for"
			if m, ok := r.sess.Acting.MandateOf(req); ok && m.Company {
				key = "request.explicit_body_for_company"
			}
		}
		text := lang.L(key, map[string]any{
			"Evidence": evidenceTitle(*req, svc, r.sess.Language.Code()), "Provider": provider,
			"Country": countryName(req.Country), "LegalBasis": legal, "Citizen": req.Citizen,
		})
		give := newWrapButton(lang.L("request.explicit_give"), theme.ConfirmIcon(), func() {
			r.act(func(ctx context.Context) (*api.Request, error) {
				return r.sess.Requests.GiveExplicitRequest(ctx, req.ID)
			})
		})
		give.SetImportance(widget.HighImportance)
		body := container.NewVBox(wrapped(text), give)
		if it, ok := r.sess.Wallet.Holding(req.Requirement, r.sess.Acting.SubjectOf(req)); ok && it.RequestID != req.ID {
			// Once-only: said before the evidence is asked for again.
			have := wrapped(lang.L("request.held", map[string]any{"Provider": it.Issuer(r.sess.Language.Code()), "Date": formatTime(it.DeliveredAt)}))
			have.Importance = widget.SuccessImportance
			body.Objects = append([]fyne.CanvasObject{have}, body.Objects...)
		}
		return titledCard(lang.L("request.explicit_title"), "", body)
	case app.StepWait:
		return titledCard(lang.L("request.waiting_title"), "", wrapped(lang.L("request.waiting_body")))
	case app.StepPreviewInBrowser:
		// A real network: the provider shows the evidence on its own site,
		// and its preview space sends the browser back to the request.
		open := newWrapButton(lang.L("request.preview_browser_open"), theme.ComputerIcon(), func() {
			u, err := url.Parse(req.PreviewURL)
			if err != nil {
				showProblem(r.win, app.ProblemOf(err))
				return
			}
			call(r.sess, func(context.Context) {
				if err := r.openURL(u); err != nil {
					fyne.Do(func() { showProblem(r.win, app.Problem{Code: "no_browser", Text: lang.L("error.no_browser")}) })
				}
			})
		})
		open.SetImportance(widget.HighImportance)
		back := newWrapButton(lang.L("request.preview_back"), theme.ConfirmIcon(), func() {
			r.act(func(ctx context.Context) (*api.Request, error) { return r.sess.Requests.PreviewReturned(ctx, req.ID) })
		})
		return titledCard(lang.L("request.preview_title"), "", container.NewVBox(wrapped(lang.L("request.preview_browser_body")), open, back))
	case app.StepOpenPreview:
		show := newWrapButton(lang.L("request.preview_open"), theme.VisibilityIcon(), func() {
			r.act(func(ctx context.Context) (*api.Request, error) { return r.sess.Requests.OpenPreview(ctx, req.ID) })
		})
		show.SetImportance(widget.HighImportance)
		return titledCard(lang.L("request.preview_title"), "", container.NewVBox(wrapped(lang.L("request.preview_body")), show))
	case app.StepDecide:
		return r.previewCard(req)
	case app.StepRetry:
		if view.ChangeAnswers {
			return r.changeAnswersCard(req, view)
		}
		retry := newWrapButton(lang.L("request.retry"), theme.ViewRefreshIcon(), func() {
			r.act(func(ctx context.Context) (*api.Request, error) { return r.sess.Requests.Retry(ctx, req.ID, nil) })
		})
		if view.AskElsewhere && r.AskAgain != nil {
			// Looking up the same country again finds the same: another
			// country comes first, the look-up stays for a register that
			// has changed since.
			elsewhere := newWrapButton(lang.L("request.elsewhere"), theme.NavigateNextIcon(), func() { r.AskAgain(req.ServiceID, req.Requirement) })
			elsewhere.SetImportance(widget.HighImportance)
			return titledCard(lang.L("request.elsewhere_title"), "", container.NewVBox(
				wrapped(lang.L("request.elsewhere_body", map[string]any{"Country": countryName(req.Country)})), elsewhere, retry))
		}
		retry.SetImportance(widget.HighImportance)
		return titledCard(lang.L("request.retry_title"), "", container.NewVBox(wrapped(lang.L("request.retry_body")), retry))
	case app.StepDelivered:
		box := container.NewVBox(wrapped(lang.L("request.delivered_body")))
		for _, f := range req.Evidence {
			box.Add(wrapped(lang.L("request.delivered_file", map[string]any{"Type": app.DocumentKind(f.ContentType), "Size": formatSize(f.Size, r.sess.Language.Code())})))
			if f.Issuer == nil { // the evidence itself, as the wallet opens it
				it := app.EvidenceItem(req, f)
				it.Need = app.NeedOf(svc, req.Requirement)
				box.Add(newWrapRow(openDocumentButton(r.win, r.sess, &r.openURL, it), saveDocumentButton(r.saver, r.sess, it)))
			}
		}
		return titledCard(lang.L("request.delivered_title"), "", box)
	case app.StepAskAgain:
		if r.AskAgain == nil || req.ServiceID == "" {
			return nil
		}
		again := newWrapButton(lang.L("request.again"), theme.ViewRefreshIcon(), func() { r.AskAgain(req.ServiceID, req.Requirement) })
		return titledCard(lang.L("request.again_title"), "", container.NewVBox(wrapped(lang.L("request.again_body_"+req.State)), again))
	}
	return nil
}

// answersForm asks the directory's questions of req, each holding the
// answer given before, and hands the answers to submit. The questions
// stand one under the other, each label wrapped with its note (the
// directory's language) under it: side by side, as a widget.Form puts
// them, they did not fit a phone.
func (r *RequestsScreen) answersForm(req *api.Request, submitText string, submit func(map[string]string)) fyne.CanvasObject {
	box := container.NewVBox()
	answers := map[string]func() string{}
	for _, q := range req.Questions {
		label, note := app.QuestionText(q, r.sess.Language.Code())
		box.Add(boldWrapped(label))
		if note != "" {
			box.Add(captionNote(note))
		}
		given := req.Answers[q.Name]
		if len(q.Values) > 0 {
			sel := widget.NewSelect(app.ChoiceLabels(q), nil)
			sel.PlaceHolder = lang.L("select.placeholder")
			if i := slices.Index(q.Values, given); i >= 0 {
				sel.SetSelectedIndex(i)
			}
			answers[q.Name] = func() string {
				if i := sel.SelectedIndex(); i >= 0 {
					return q.Values[i]
				}
				return ""
			}
			box.Add(sel)
			continue
		}
		entry := widget.NewEntry()
		entry.SetText(given)
		answers[q.Name] = func() string { return entry.Text }
		box.Add(entry)
	}
	send := newWrapButton(submitText, theme.ConfirmIcon(), func() {
		values := map[string]string{}
		for name, get := range answers {
			values[name] = get()
		}
		submit(values)
	})
	send.SetImportance(widget.HighImportance)
	box.Add(buttons(send))
	return box
}

// changeAnswersCard is the way on from a look-up that found no provider
// for the answers given (or refused one): the questions again, holding
// those answers, to look up again with others; and another country, when
// the country may hold none at all.
func (r *RequestsScreen) changeAnswersCard(req *api.Request, view app.RequestView) fyne.CanvasObject {
	form := r.answersForm(req, lang.L("request.answers_again"), func(values map[string]string) {
		r.act(func(ctx context.Context) (*api.Request, error) { return r.sess.Requests.Retry(ctx, req.ID, values) })
	})
	body := "request.answers_body_refused"
	if app.NoneForTheAnswers(req) {
		body = "request.answers_body"
	}
	box := container.NewVBox(wrapped(lang.L(body, map[string]any{"Country": countryName(req.Country)})), form)
	if view.AskElsewhere && r.AskAgain != nil {
		box.Add(newWrapButton(lang.L("request.elsewhere"), theme.NavigateNextIcon(), func() { r.AskAgain(req.ServiceID, req.Requirement) }))
	}
	return titledCard(lang.L("request.answers_title"), "", box)
}

// previewCard shows the evidence field by field with its source and legal
// basis, and the approve and refuse buttons side by side (one under the
// other on a phone).
func (r *RequestsScreen) previewCard(req *api.Request) fyne.CanvasObject {
	form := newFacts()
	shared, perField := app.PreviewSources(req.Preview)
	for i, f := range req.Preview.Fields {
		if perField == nil {
			addFact(form, f.Name, wrapped(f.Value))
			continue
		}
		addFact(form, f.Name, container.NewVBox(wrapped(f.Value), captionNote(perField[i])))
	}
	if shared != "" {
		form.Add(captionNote(shared))
	}
	approve := newWrapButton(lang.L("request.preview_approve"), theme.ConfirmIcon(), func() {
		r.act(func(ctx context.Context) (*api.Request, error) { return r.sess.Requests.Decide(ctx, req.ID, true) })
	})
	approve.SetImportance(widget.HighImportance)
	refuse := newWrapButton(lang.L("request.preview_refuse"), theme.CancelIcon(), func() {
		confirm(r.win, lang.L("request.preview_refuse"), lang.L("request.preview_refuse_confirm"), lang.L("request.preview_refuse"), func() {
			r.act(func(ctx context.Context) (*api.Request, error) { return r.sess.Requests.Decide(ctx, req.ID, false) })
		})
	})
	box := container.NewVBox(form, newWrapRow(approve, refuse))
	if text := app.PreviewLanguageNote(req.Preview, r.sess.Language.Code()); text != "" {
		note := wrapped(text)
		note.Importance = widget.WarningImportance
		box.Objects = append([]fyne.CanvasObject{note}, box.Objects...)
	}
	title := wrapped(req.Preview.Title)
	title.TextStyle = fyne.TextStyle{Bold: true}
	return titledCard("", "", container.NewVBox(title, wrapped(req.Preview.Provider), box))
}

// addProblem adds the fact "Problem: text" to facts, with a button
// (named open) to the help centre's page of code.
func addProblem(win fyne.Window, facts *fyne.Container, text, code, open string) {
	help := newWrapButton(open, theme.HelpIcon(), func() { showHelp(win, code) })
	help.SetImportance(widget.LowImportance)
	addFact(facts, lang.L("request.problem"), container.NewVBox(wrapped(text), buttons(help)))
}

// captionNote is a small wrapping note under a value.
func captionNote(text string) *widget.Label {
	note := widget.NewLabel(text)
	note.SizeName = theme.SizeNameCaptionText
	note.Wrapping = fyne.TextWrapWord
	return note
}

// neededEvidence is the name the service gives the evidence of
// requirement, in language code ("" when it names none).
func neededEvidence(svc *catalogue.Service, requirement, code string) string {
	return app.NeedOf(svc, requirement).In(code)
}

// evidenceTitle names what a request asks for, in the user's language
// (app.EvidenceName): the evidence type the Evidence Broker named or the
// service's (svc, may be nil) name of the evidence it needs.
func evidenceTitle(req api.Request, svc *catalogue.Service, code string) string {
	if name := app.EvidenceName(typeTitles(req), app.NeedOf(svc, req.Requirement), code); name != "" {
		return name
	}
	return lang.L("request.evidence")
}

// typeTitles are the names of req's evidence type by language, nil before
// the Evidence Broker named one.
func typeTitles(req api.Request) map[string]string {
	if req.EvidenceType == nil {
		return nil
	}
	return req.EvidenceType.Title
}

// rowText is what a request's row in the list shows: the evidence, and
// its summary (requestSummary).
func (r *RequestsScreen) rowText(req api.Request) (title, summary string) {
	svc := r.listedService(req)
	service := ""
	if svc != nil {
		service = svc.Name.In(r.sess.Language.Code())
	}
	return evidenceTitle(req, svc, r.sess.Language.Code()), requestSummary(req, service)
}

// requestSummary is a request row's second line: for whom it was made
// when not for the person, its state, country and when its next step is
// due, or, once it ended, when that was; then the service it is for
// ("" while unknown).
func requestSummary(req api.Request, service string) string {
	s := stateName(app.ShownState(&req)) + " · " + countryName(req.Country)
	if req.For != "" {
		s = lang.L("for_whom", map[string]any{"Name": req.ForName}) + " · " + s
	}
	if req.Archived {
		s = lang.L("event.archived") + " · " + s
	}
	switch {
	case req.ExpectedBy != nil:
		key := "request.next_by"
		if app.ViewOf(&req).YourTurn() {
			key = "request.answer_by_row"
		}
		s += " · " + lang.L(key, map[string]any{"Time": formatTime(*req.ExpectedBy)})
	case !req.UpdatedAt.IsZero():
		s += " · " + formatTime(req.UpdatedAt) // when it ended
	}
	if service != "" {
		s += " · " + service
	}
	return s
}

func stateName(state string) string { return app.StateName(state) }

func formatTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

// newTwoLineRow is a list row: a bold line over a small one.
func newTwoLineRow() fyne.CanvasObject { return newTwoLineRowWith("", "") }

func newTwoLineRowWith(top, bottom string) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(top, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Wrapping = fyne.TextWrapWord // a value list makes the row tall enough (rowFitter)
	meta := widget.NewLabel(bottom)
	meta.Wrapping = fyne.TextWrapWord
	meta.SizeName = theme.SizeNameCaptionText
	return newRowLines(name, meta)
}

func setTwoLineRow(obj fyne.CanvasObject, top, bottom string) {
	box := obj.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(top)
	box.Objects[1].(*widget.Label).SetText(bottom)
}

// offers is the section of a delivered request that leads to the other
// services its evidence serves (the offered step), nil when there is
// none. The services' names are fetched in the background; relayout
// makes room for their buttons when they arrive.
func (r *RequestsScreen) offers(req *api.Request, relayout func()) fyne.CanvasObject {
	i := slices.IndexFunc(req.Timeline, func(s api.Step) bool { return s.Event == api.EventOffered })
	if i < 0 || r.OpenService == nil {
		return nil
	}
	buttons := container.NewVBox()
	ids := strings.Split(req.Timeline[i].Detail, ",")
	call(r.sess, func(ctx context.Context) {
		services := r.sess.Catalogue.Named(ctx, ids)
		code := r.sess.Language.Code()
		fyne.Do(func() {
			for _, svc := range services {
				buttons.Add(newWrapButton(svc.Name.In(code), theme.NavigateNextIcon(), func() { r.OpenService(svc.ID) }))
			}
			relayout()
		})
	})
	return container.NewVBox(
		boldWrapped(lang.L("request.offered")),
		wrapped(lang.L("request.offered_body")),
		buttons,
	)
}

// providerName names the provider in the user's language where the
// directory gives it, else in English.
func providerName(p *api.Provider, code string) string {
	if p == nil {
		return ""
	}
	if n := p.Names[strings.ToUpper(code)]; n != "" {
		return n
	}
	return p.Name
}

// timelineEvents are the events of a timeline's steps, in order.
func timelineEvents(steps []api.Step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.Event
	}
	return out
}
