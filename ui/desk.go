package ui

import (
	"context"
	"io"
	"net/url"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

// DeskScreen is the clerk's desk (role clerk, desktop layout): the work
// queue of the clerk's institution, soonest due first, overdue ones in
// red and unread ones in bold; an application opens its page with the
// actions on it.
type DeskScreen struct {
	widget.BaseWidget
	sess   *app.Session
	win    fyne.Window
	nav    *pages
	Search *widget.Entry
	// Filter chooses what the queue shows (app.Shows); shows maps its options.
	Filter *widget.Select
	shows  map[string]app.Show
	Queue  *widget.List
	// queueRows makes the queue's rows as tall as their text.
	queueRows *rowFitter
	// reading is set while the queue is read; readAgain when another
	// read was asked for meanwhile (Reload).
	reading, readAgain bool
	items              []app.DeskItem
	count              *widget.Label
	// chooseFile asks for the result document's file (a file dialog;
	// tests choose their own).
	chooseFile func(win fyne.Window, got func(data []byte, err error))
	// openURL opens an evidence document with the system's viewer (tests
	// record it); saver saves a copy of one.
	openURL func(*url.URL) error
	saver   *saver
	// shown is the application whose page was drawn last, drafts the
	// page's fields the clerk writes in, and stale its notice that the
	// application changed while the clerk was writing (follow).
	shown  string
	drafts []*widget.Entry
	stale  *fyne.Container
}

// NewDeskScreen builds the desk and loads the queue.
func NewDeskScreen(win fyne.Window, s *app.Session) *DeskScreen {
	d := &DeskScreen{sess: s, win: win, count: wrapped(""), chooseFile: chooseFileDialog, openURL: systemOpener(s), shows: map[string]app.Show{}}
	d.ExtendBaseWidget(d)
	d.saver = newSaver(win, s)
	d.Search = widget.NewEntry()
	d.Search.OnSubmitted = func(string) { d.Reload() }
	d.Search.OnChanged = func(string) { d.Reload() }
	whileDrawn(s, s.Desk.Follow(func(id string) { fyne.Do(func() { d.follow(id) }) }))
	d.Queue = widget.NewList(func() int { return len(d.items) }, newTwoLineRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		it := d.items[i]
		box := o.(*fyne.Container)
		top, bottom := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label)
		top.SetText(evidenceTitle(it.Request, it.Service, s.Language.Code()) + " · " + app.DeskStateName(app.ShownState(&it.Request)))
		top.TextStyle = fyne.TextStyle{Bold: it.Unread}
		due := lang.L("desk.no_due")
		switch {
		case !it.Due.IsZero():
			due = lang.L("desk.due", map[string]any{"Time": formatTime(it.Due)})
		case it.Superseded:
			due = lang.L("desk.no_due_asked_again")
		case app.EndedWithoutEvidence(&it.Request):
			due = lang.L("desk.no_due_ended")
		}
		who := it.Request.Citizen
		if it.Service != nil {
			who = it.Service.Name.In(s.Language.Code()) + " · " + who
		}
		bottom.SetText(who + " · " + due)
		bottom.Importance = widget.MediumImportance
		if it.Overdue {
			top.Importance, bottom.Importance = widget.DangerImportance, widget.DangerImportance
			bottom.SetText(bottom.Text + " · " + lang.L("desk.overdue"))
		} else {
			top.Importance = widget.MediumImportance
		}
		top.Refresh()
		bottom.Refresh()
	})
	d.Queue.OnSelected = func(i widget.ListItemID) {
		d.Queue.Unselect(i)
		d.Open(d.items[i].Request.ID)
	}
	var names []string
	for _, sh := range app.Shows() {
		key := "desk.show." + string(sh)
		if sh == app.ShowAll {
			key = "desk.show.all"
		}
		d.shows[lang.L(key)] = sh
		names = append(names, lang.L(key))
	}
	d.Filter = widget.NewSelect(names, func(string) { d.Reload() })
	d.Filter.Selected = names[0]
	reload := widget.NewButtonWithIcon(lang.L("desk.reload"), theme.ViewRefreshIcon(), d.Reload)
	// A plain button: a wrapping label squeezed into the bar wraps letter
	// by letter and makes the bar tall.
	feedback := widget.NewButtonWithIcon(lang.L("feedback.list_title"), theme.MailComposeIcon(), func() { showFeedback(win, s) })
	// The search has a line of its own; the filter and the buttons follow
	// in one row on a desktop, in more on a phone.
	top := container.NewVBox(searchBox(d.Search, "desk.search", "desk.search_hint"), newWrapRow(d.Filter, reload, feedback), d.count)
	var queue fyne.CanvasObject
	d.queueRows, queue = fitRows(d.Queue)
	d.nav = newPages(newBorder(top, nil, nil, nil, queue), lang.L("desk.title"))
	// The queue is the signed-in clerk's: it is read now and again for
	// whoever signs in, once the service has said their role.
	listen(s, s.Role, d.Reload)
	listen(s, s.Institution, d.nameInstitution)
	return d
}

// CreateRenderer draws the page stack.
func (d *DeskScreen) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(d.nav) }

// Reload reads the queue again with the search text; signed out, or for
// someone who is no clerk, there is none to read. One read runs at a
// time: asked for while one is under way, the queue is read once more
// when that one is in, and what it read is not shown (it may be for other
// words, or another person). At a busy institution every change the
// clerk's stream hears asks for a read; a burst of them made as many
// reads, and typing a search one per letter, whose answers could come
// in another order.
func (d *DeskScreen) Reload() {
	if d.reading {
		d.readAgain = true
		return
	}
	if d.sess.Account != nil && !d.sess.Account.SignedIn() || !d.sess.ShowsDesk() {
		d.items = nil
		d.count.SetText("")
		d.queueRows.fit()
		return
	}
	text, show := d.Search.Text, d.shows[d.Filter.Selected]
	d.reading = true
	call(d.sess, func(ctx context.Context) {
		items, err := d.sess.Desk.Queue(ctx, text, show)
		fyne.Do(func() {
			d.reading = false
			if d.readAgain {
				d.readAgain = false
				d.Reload()
				return
			}
			if err != nil {
				d.count.SetText(app.UserMessage(err))
				return
			}
			d.items = items
			d.count.SetText(deskCount(len(items), text != "" || show != app.ShowAll))
			d.queueRows.fit()
		})
	})
}

// deskCount counts the applications shown; an empty queue says why:
// nobody applied yet, or nothing matches the search or filter.
func deskCount(n int, narrowed bool) string {
	switch {
	case n > 0:
		return lang.N("desk.count", n, map[string]any{"Count": n})
	case narrowed:
		return lang.L("desk.none_match")
	}
	return lang.L("desk.none_yet")
}

// Home shows the queue, the application's page closed.
func (d *DeskScreen) Home() { d.nav.Home() }

// follow takes in a change to application id the event stream told of:
// the queue is read again, and the page of id, when shown, redrawn; not
// under a message the clerk is writing, where the page says instead that
// the application changed.
func (d *DeskScreen) follow(id string) {
	if d.nav.Depth() > 0 && d.shown == id {
		if !d.writing() {
			d.redraw(id) // the queue with it
			return
		}
		d.stale.Show()
	}
	d.Reload()
}

// writing reports whether the clerk has written in a field of the page.
func (d *DeskScreen) writing() bool {
	return slices.ContainsFunc(d.drafts, func(e *widget.Entry) bool { return strings.TrimSpace(e.Text) != "" })
}

// redraw reads application id again and draws its page (and the queue).
func (d *DeskScreen) redraw(id string) {
	call(d.sess, func(ctx context.Context) { fyne.Do(d.load(ctx, id)) })
}

// Open shows the page of application id.
func (d *DeskScreen) Open(id string) {
	call(d.sess, func(ctx context.Context) {
		a, err := d.sess.Desk.Application(ctx, id)
		fyne.Do(func() {
			if err != nil {
				showProblem(d.win, app.ProblemOf(err))
				return
			}
			d.nav.Open(d.page(a), evidenceTitle(a.Request, a.Service, d.sess.Language.Code()))
		})
	})
}

// load reads application id after an action changed it and returns what
// redraws its page (or shows the problem), to run on the UI goroutine.
func (d *DeskScreen) load(ctx context.Context, id string) func() {
	a, err := d.sess.Desk.Application(ctx, id)
	return func() {
		if err != nil {
			showProblem(d.win, app.ProblemOf(err))
			return
		}
		d.nav.Replace(d.page(a), evidenceTitle(a.Request, a.Service, d.sess.Language.Code()))
		d.Reload()
	}
}

// page shows an application: who it is for, the evidence with its source,
// the result documents, the timeline with every message whole, and the
// clerk's actions.
func (d *DeskScreen) page(a *app.Application) fyne.CanvasObject {
	req, code := &a.Request, d.sess.Language.Code()
	d.shown, d.drafts = req.ID, nil
	d.stale = container.NewVBox(wrapped(lang.L("desk.changed")),
		newWrapRow(newWrapButton(lang.L("desk.show_now"), theme.ViewRefreshIcon(), func() { d.redraw(req.ID) })))
	d.stale.Hide()
	service := req.ServiceID
	if a.Service != nil {
		service = a.Service.Name.In(code)
	}
	facts := newFacts(
		widget.NewFormItem(lang.L("desk.citizen"), wrapped(req.Citizen)),
		widget.NewFormItem(lang.L("desk.service"), wrapped(service)),
		widget.NewFormItem(lang.L("request.state"), wrapped(app.DeskStateName(app.ShownState(req)))),
	)
	if req.Representative != "" {
		addFact(facts, lang.L("desk.representative"), wrapped(req.Representative))
	}
	for _, m := range req.Mandates {
		line := "desk.mandate_line"
		if m.Company {
			line = "desk.mandate_line_company"
		}
		addFact(facts, lang.L("desk.mandate"), wrapped(lang.L(line, map[string]any{
			"Representative": namedPerson(m.RepresentativeName, m.Representative), "Represented": namedPerson(m.RepresentedName, m.Represented),
			"Until": formatTime(m.ValidUntil)})))
	}
	if req.ExpectedBy != nil {
		addFact(facts, lang.L("request.expected_by"), wrapped(formatTime(*req.ExpectedBy)))
	}
	addDecision(facts, req)
	if req.ErrorCode != "" {
		// The OOTS code with the provider's own words; the help page is
		// the one the citizen's request page points to.
		problem := req.ErrorCode
		if req.Problem != "" {
			problem += ": " + req.Problem
		}
		addProblem(d.win, facts, problem, req.ErrorCode, lang.L("desk.problem_help"))
	}
	evidence, results := container.NewVBox(), container.NewVBox()
	source := ""
	if req.Provider != nil {
		source = req.Provider.Name + " (" + countryName(req.Country) + ")"
	}
	for _, f := range req.Evidence {
		if f.Issuer != nil {
			results.Add(wrapped(lang.L("desk.result_line", map[string]any{"Title": f.Title, "Type": app.DocumentKind(f.ContentType), "Size": formatSize(f.Size, code), "Time": formatTime(f.IssuedAt)})))
			continue
		}
		it := app.EvidenceItem(req, f)
		it.Need = app.NeedOf(a.Service, req.Requirement)
		evidence.Add(wrapped(lang.L("desk.document", map[string]any{"N": f.Index + 1, "Type": app.DocumentKind(f.ContentType), "Size": formatSize(f.Size, code), "Source": source, "SHA": f.SHA256})))
		evidence.Add(newWrapRow(openDocumentButton(d.win, d.sess, &d.openURL, it), saveDocumentButton(d.saver, d.sess, it)))
	}
	if len(evidence.Objects) == 0 {
		none := "desk.no_evidence"
		if app.EndedWithoutEvidence(req) {
			none = "desk.no_evidence_ended"
		}
		evidence.Add(wrapped(lang.L(none)))
	}
	timeline := container.NewVBox()
	names := app.EventNames(timelineEvents(req.Timeline))
	for i, s := range req.Timeline {
		line, detail := formatTime(s.At)+" · "+stepName(s, names[i], code), s.Detail
		if s.Event == api.EventOffered && len(a.Offered) > 0 { // the services by name, not identifier
			names := make([]string, len(a.Offered))
			for i, svc := range a.Offered {
				names[i] = svc.Name.In(code)
			}
			detail = strings.Join(names, ", ")
		}
		if detail != "" {
			line += "\n" + detail
		}
		timeline.Add(wrapped(line))
	}
	message := newGrowingEntry()
	message.SetPlaceHolder(lang.L("desk.message_placeholder"))
	d.drafts = append(d.drafts, message)
	act := func(run func(ctx context.Context, text string) error) func() {
		return func() {
			text := strings.TrimSpace(message.Text)
			if text == "" {
				showProblem(d.win, app.Problem{Code: "generic", Text: lang.L("desk.message_needed")})
				return
			}
			d.run(req.ID, func(ctx context.Context) error { return run(ctx, text) })
		}
	}
	post := widget.NewButtonWithIcon(lang.L("desk.post"), theme.MailSendIcon(), act(func(ctx context.Context, t string) error {
		_, err := d.sess.Desk.Post(ctx, req.ID, t)
		return err
	}))
	decide := func(label string, approve bool) func() {
		run := act(func(ctx context.Context, t string) error {
			_, err := d.sess.Desk.Decide(ctx, req.ID, approve, t, req.Decision)
			return err
		})
		decided, wasDecided := app.DecidedAt(req)
		if req.Decision == "" || !wasDecided {
			return run
		}
		// A decision stands: deciding again is asked, not taken by a tap.
		return func() {
			confirm(d.win, lang.L("desk.decide_again"), lang.L("desk.decide_again_body_"+req.Decision, map[string]any{"Time": formatTime(decided)}), label, run)
		}
	}
	approve := widget.NewButtonWithIcon(lang.L("desk.approve"), theme.ConfirmIcon(), decide(lang.L("desk.approve"), true))
	approve.Importance = widget.SuccessImportance
	refuse := widget.NewButtonWithIcon(lang.L("desk.refuse"), theme.CancelIcon(), decide(lang.L("desk.refuse"), false))
	refuse.Importance = widget.DangerImportance
	bold := func(key string) fyne.CanvasObject { return boldWrapped(lang.L(key)) }
	body := container.NewVBox(d.stale, facts,
		bold("desk.evidence"), evidence)
	if len(a.Related) > 0 {
		body.Add(bold("desk.related"))
		for _, r := range a.Related {
			open := newWrapButton(evidenceTitle(r, a.Service, code)+" · "+app.DeskStateName(app.ShownState(&r)), theme.NavigateNextIcon(), func() { d.Open(r.ID) })
			body.Add(open)
		}
	}
	if len(results.Objects) > 0 {
		body.Add(bold("desk.results"))
		body.Add(results)
	}
	body.Add(bold("request.timeline"))
	body.Add(timeline)
	body.Add(bold("desk.trail"))
	body.Add(trailOf(a))
	body.Add(bold("desk.actions"))
	body.Add(message)
	body.Add(newWrapRow(post, approve, refuse))
	if ask := d.askForm(a, act); ask != nil {
		body.Add(bold("desk.ask"))
		body.Add(ask)
	}
	body.Add(bold("desk.result"))
	body.Add(d.resultForm(a))
	body.Add(newWrapRow(copyLinkButton(d.win, d.sess.Links, app.Link{Screen: app.ScreenDesk, ID: req.ID}), pairButton(d.win, d.sess, req.ID, "desk.pair")))
	page, _ := newFormPage(container.NewPadded(body))
	return page
}

// run carries out a clerk's action on application id in the background
// and shows the page again with its outcome, or the problem.
func (d *DeskScreen) run(id string, action func(ctx context.Context) error) {
	perform(d.win, d.sess, func(ctx context.Context) func() {
		if err := action(ctx); err != nil {
			problem := func() { showProblem(d.win, app.ProblemOf(err)) }
			if !app.OutOfDate(err) {
				return problem
			}
			page := d.load(ctx, id) // read again, under the problem
			return func() { page(); problem() }
		}
		return d.load(ctx, id)
	})
}

// askForm asks the citizen for evidence the application lacks: one of the
// service's requirements, from a country the Evidence Broker knows it in,
// with the message above as the reason; nil when the service is unknown.
func (d *DeskScreen) askForm(a *app.Application, act func(func(context.Context, string) error) func()) fyne.CanvasObject {
	if a.Service == nil || len(a.Service.Evidence) == 0 {
		return nil
	}
	code := d.sess.Language.Code()
	var names []string
	byName := map[string]string{}
	for _, e := range a.Service.Evidence {
		name := e.Name.In(code)
		switch a.EvidenceOf(e.Requirement) {
		case app.EvidenceReceived:
			name += " · " + lang.L("desk.ask_received")
		case app.EvidenceAsked:
			name += " · " + lang.L("desk.ask_asked")
		}
		names = append(names, name)
		byName[name] = e.Requirement
	}
	countries := map[string]string{} // country name → code
	country := widget.NewSelect(nil, nil)
	country.PlaceHolder = lang.L("desk.ask_country")
	requirement := widget.NewSelect(names, func(name string) {
		country.ClearSelected()
		country.SetOptions(nil)
		want := byName[name]
		call(d.sess, func(ctx context.Context) {
			list, err := d.sess.Desk.Countries(ctx, want)
			fyne.Do(func() {
				if err != nil {
					showProblem(d.win, app.ProblemOf(err))
					return
				}
				var opts []string
				for _, c := range list {
					countries[countryName(c)] = c
					opts = append(opts, countryName(c))
				}
				slices.Sort(opts) // by name, as the person reads them
				country.SetOptions(opts)
			})
		})
	})
	requirement.PlaceHolder = lang.L("desk.ask_requirement")
	send := act(func(ctx context.Context, text string) error {
		_, err := d.sess.Desk.AskEvidence(ctx, a.Request.ID, byName[requirement.Selected], countries[country.Selected], text)
		return err
	})
	ask := widget.NewButtonWithIcon(lang.L("desk.ask_button"), theme.MailForwardIcon(), func() {
		if requirement.Selected == "" || country.Selected == "" {
			showProblem(d.win, app.Problem{Code: "generic", Text: lang.L("desk.ask_choose")})
			return
		}
		send()
	})
	return container.NewVBox(wrapped(lang.L("desk.ask_body")), container.New(&sideBySide{}, requirement, country), newWrapRow(ask))
}

// resultForm attaches the result document: a title and a file the clerk
// chooses (PDF, PNG or JPEG).
func (d *DeskScreen) resultForm(a *app.Application) fyne.CanvasObject {
	title := widget.NewEntry()
	title.SetPlaceHolder(lang.L("desk.result_title"))
	d.drafts = append(d.drafts, title)
	institution := ""
	if a.Service != nil {
		institution = a.Service.Provider.Name.In(d.sess.Language.Code())
	}
	attach := widget.NewButtonWithIcon(lang.L("desk.result_button"), theme.FileIcon(), func() {
		d.chooseFile(d.win, func(data []byte, err error) {
			if err != nil {
				showProblem(d.win, app.ProblemOf(err))
				return
			}
			text := title.Text
			d.run(a.Request.ID, func(ctx context.Context) error {
				_, err := d.sess.Desk.AttachResult(ctx, a.Request.ID, text, data)
				return err
			})
		})
	})
	return container.NewVBox(wrapped(lang.L("desk.result_body", map[string]any{"Institution": institution})), title, newWrapRow(attach))
}

// chooseFileDialog lets the clerk pick a PDF, PNG or JPEG and reads it,
// at most one byte over the limit (the desk refuses it then).
func chooseFileDialog(win fyne.Window, got func([]byte, error)) {
	dlg := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		got(io.ReadAll(io.LimitReader(r, api.MaxResultSize+1)))
	}, win)
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".png", ".jpg", ".jpeg"}))
	present(win, dlg, nil)
}

// trailOf lists the application's ledger trail: when, what, by whom.
func trailOf(a *app.Application) fyne.CanvasObject {
	box := container.NewVBox()
	if a.TrailErr != nil {
		box.Add(wrapped(app.UserMessage(a.TrailErr)))
	}
	actions := make([]string, len(a.Trail))
	for i, e := range a.Trail {
		actions[i] = e.Action
	}
	names := app.EventNames(actions)
	for i, e := range a.Trail {
		actor := personNamed(e.Actor, &a.Request)
		if actor == e.Actor {
			actor = namedPerson(e.ActorName, e.Actor) // a clerk
		}
		if actor == "service" {
			actor = lang.L("desk.by_service")
		}
		line := lang.L("desk.trail_line", map[string]any{"Time": formatTime(e.Time), "Action": names[i], "Actor": actor})
		if e.What != "" && api.ByClerk(e.Action) {
			line += "\n" + e.What
		}
		box.Add(wrapped(line))
	}
	return box
}

// namedPerson is a person as the app names them, "Name (identifier)", or
// the identifier alone where the name is not known.
func namedPerson(name, id string) string {
	if name == "" {
		return id
	}
	return name + " (" + id + ")"
}

// personNamed is the applicant or the representative of req as the page
// names them, "Name (identifier)", when id is theirs; else id.
func personNamed(id string, req *api.Request) string {
	for _, p := range []string{req.Citizen, req.Representative} {
		if strings.HasSuffix(p, " ("+id+")") {
			return p
		}
	}
	return id
}

// stepName is a timeline step named name (app.EventNames) as a person
// reads it: a clerk's step names the institution ("Civil registry office:
// Message").
func stepName(s api.Step, name, code string) string {
	if s.From != nil {
		return lang.L("step.from", map[string]any{"Institution": s.From.Name.In(code), "Event": name})
	}
	return name
}

// TabDesk is the desk's destination, after the five of every person; it
// is there for clerks only.
const TabDesk = TabProfile + 1

// nameInstitution titles the queue with the clerk's institution, by its
// name in the catalogue (the queue is of its services alone).
func (d *DeskScreen) nameInstitution() {
	id, _ := d.sess.Institution.Get()
	if id == "" {
		d.nav.SetRootTitle(lang.L("desk.title"))
		return
	}
	call(d.sess, func(ctx context.Context) {
		name := d.sess.Catalogue.InstitutionName(ctx, id, d.sess.Language.Code())
		fyne.Do(func() {
			if now, _ := d.sess.Institution.Get(); now == id {
				d.nav.SetRootTitle(lang.L("desk.title_of", map[string]any{"Institution": name}))
			}
		})
	})
}

// addDesk adds the clerk's desk to the shell, its destination shown
// while a clerk is signed in (Session.ShowsDesk: a clerk's sign-in
// brings it, a sign-out takes it away), and lets desk links
// (vienreiz://desk/ID) open its applications.
func addDesk(win fyne.Window, s *app.Session, sh *Shell, add func(fyne.Resource, string, fyne.CanvasObject)) {
	if s.Desk == nil {
		return
	}
	// The desk is made when a clerk first signs in: a citizen's app
	// builds none of it.
	var desk *DeskScreen
	slot := container.NewStack()
	add(theme.ListIcon(), "nav.desk", slot)
	showDesk := func() {
		shows := s.ShowsDesk()
		if shows && desk == nil {
			desk = NewDeskScreen(win, s)
			sh.homes = append(sh.homes, desk)
			slot.Objects = []fyne.CanvasObject{gated(win, s, desk, lang.L("signin.for_desk"))}
			slot.Refresh()
		}
		b := sh.buttons[TabDesk]
		if shows == b.Visible() {
			return
		}
		if shows {
			b.Show()
		} else {
			b.Hide()
			if sh.selected == TabDesk {
				sh.Select(TabServices)
			}
		}
		if sh.content != nil {
			sh.content.Refresh()
		}
	}
	// The role comes after the sign-in, from the service (Session.Role).
	listen(s, s.Role, showDesk)
	show := s.Links.Show
	s.Links.Show = func(l app.Link) {
		if l.Screen != app.ScreenDesk || !s.ShowsDesk() {
			show(l)
			return
		}
		fyne.Do(func() {
			showDesk()
			sh.Select(TabDesk)
			if l.ID != "" {
				desk.Open(l.ID)
			}
		})
	}
}
