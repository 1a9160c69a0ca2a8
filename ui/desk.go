package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
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
	Queue  *widget.List
	items  []app.DeskItem
	count  *widget.Label
}

// NewDeskScreen builds the desk and loads the queue.
func NewDeskScreen(win fyne.Window, s *app.Session) *DeskScreen {
	d := &DeskScreen{sess: s, win: win, count: widget.NewLabel("")}
	d.ExtendBaseWidget(d)
	d.Search = widget.NewEntry()
	d.Search.SetPlaceHolder(lang.L("desk.search"))
	d.Search.OnSubmitted = func(string) { d.Reload() }
	d.Search.OnChanged = func(string) { d.Reload() }
	d.Queue = widget.NewList(func() int { return len(d.items) }, newTwoLineRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		it := d.items[i]
		box := o.(*fyne.Container)
		top, bottom := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label)
		top.SetText(evidenceTitle(it.Request, s.Language.Code()) + " · " + stateName(it.Request.State))
		top.TextStyle = fyne.TextStyle{Bold: it.Unread}
		due := lang.L("desk.no_due")
		if !it.Due.IsZero() {
			due = lang.L("desk.due", map[string]any{"Time": formatTime(it.Due)})
		}
		bottom.SetText(it.Request.Citizen + " · " + due)
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
	reload := widget.NewButtonWithIcon(lang.L("desk.reload"), theme.ViewRefreshIcon(), d.Reload)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, reload, d.Search), d.count)
	d.nav = newPages(container.NewBorder(top, nil, nil, nil, d.Queue), lang.L("desk.title"))
	d.Reload()
	return d
}

// CreateRenderer draws the page stack.
func (d *DeskScreen) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(d.nav) }

// Reload reads the queue again with the search text.
func (d *DeskScreen) Reload() {
	text := d.Search.Text
	d.sess.Background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		items, err := d.sess.Desk.Queue(ctx, text)
		fyne.Do(func() {
			if err != nil {
				d.count.SetText(app.UserMessage(err))
				return
			}
			d.items = items
			d.count.SetText(lang.N("desk.count", len(items), map[string]any{"Count": len(items)}))
			d.Queue.Refresh()
		})
	})
}

// Open shows the page of application id.
func (d *DeskScreen) Open(id string) {
	d.sess.Background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		req, err := d.sess.Desk.Application(ctx, id)
		fyne.Do(func() {
			if err != nil {
				showProblem(d.win, app.ProblemOf(err))
				return
			}
			d.nav.Open(d.page(req), evidenceTitle(*req, d.sess.Language.Code()))
		})
	})
}

// page shows an application: who it is for, the evidence with its source,
// the timeline with every message whole, and the clerk's actions.
func (d *DeskScreen) page(req *api.Request) fyne.CanvasObject {
	facts := widget.NewForm(
		widget.NewFormItem(lang.L("desk.citizen"), wrapped(req.Citizen)),
		widget.NewFormItem(lang.L("desk.service"), wrapped(req.ServiceID)),
		widget.NewFormItem(lang.L("request.state"), wrapped(stateName(req.State))),
	)
	if req.ExpectedBy != nil {
		facts.Append(lang.L("request.expected_by"), wrapped(formatTime(*req.ExpectedBy)))
	}
	evidence := container.NewVBox()
	source := ""
	if req.Provider != nil {
		source = req.Provider.Name + " (" + countryName(req.Country) + ")"
	}
	for _, f := range req.Evidence {
		evidence.Add(wrapped(lang.L("desk.document", map[string]any{"N": f.Index + 1, "Type": f.ContentType, "Source": source, "SHA": f.SHA256})))
	}
	if len(req.Evidence) == 0 {
		evidence.Add(wrapped(lang.L("desk.no_evidence")))
	}
	timeline := container.NewVBox()
	for _, s := range req.Timeline {
		line := formatTime(s.At) + " · " + lang.X("event."+s.Event, s.Event)
		if s.Detail != "" {
			line += "\n" + s.Detail
		}
		timeline.Add(wrapped(line))
	}
	message := widget.NewMultiLineEntry()
	message.SetPlaceHolder(lang.L("desk.message_placeholder"))
	message.Wrapping = fyne.TextWrapWord
	act := func(run func(ctx context.Context, text string) (*api.Request, error)) func() {
		return func() {
			text := strings.TrimSpace(message.Text)
			if text == "" {
				showProblem(d.win, app.Problem{Code: "generic", Text: lang.L("desk.message_needed")})
				return
			}
			d.sess.Background(func() {
				ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
				defer cancel()
				out, err := run(ctx, text)
				fyne.Do(func() {
					if err != nil {
						showProblem(d.win, app.ProblemOf(err))
						return
					}
					d.nav.Replace(d.page(out), evidenceTitle(*out, d.sess.Language.Code()))
					d.Reload()
				})
			})
		}
	}
	post := widget.NewButtonWithIcon(lang.L("desk.post"), theme.MailSendIcon(), act(func(ctx context.Context, t string) (*api.Request, error) {
		return d.sess.Desk.Post(ctx, req.ID, t)
	}))
	approve := widget.NewButtonWithIcon(lang.L("desk.approve"), theme.ConfirmIcon(), act(func(ctx context.Context, t string) (*api.Request, error) {
		return d.sess.Desk.Decide(ctx, req.ID, true, t)
	}))
	approve.Importance = widget.SuccessImportance
	refuse := widget.NewButtonWithIcon(lang.L("desk.refuse"), theme.CancelIcon(), act(func(ctx context.Context, t string) (*api.Request, error) {
		return d.sess.Desk.Decide(ctx, req.ID, false, t)
	}))
	refuse.Importance = widget.DangerImportance
	bold := func(key string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(lang.L(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	body := container.NewVBox(facts,
		bold("desk.evidence"), evidence,
		bold("request.timeline"), timeline,
		bold("desk.actions"), message, container.NewHBox(post, approve, refuse),
		container.NewHBox(copyLinkButton(d.win, d.sess.Links, app.Link{Screen: app.ScreenDesk, ID: req.ID})))
	return container.NewVScroll(container.NewPadded(body))
}

// TabDesk is the desk's destination, after the five of every person; it
// is there for clerks only.
const TabDesk = TabProfile + 1

// addDesk adds the clerk's desk to the shell when the person is a clerk,
// and lets desk links (vienreiz://desk/ID) open its applications.
func addDesk(win fyne.Window, s *app.Session, sh *Shell, add func(fyne.Resource, string, fyne.CanvasObject)) {
	if !s.Clerk {
		return
	}
	desk := NewDeskScreen(win, s)
	add(theme.ListIcon(), "nav.desk", desk)
	show := s.Links.Show
	s.Links.Show = func(l app.Link) {
		if l.Screen != app.ScreenDesk {
			show(l)
			return
		}
		fyne.Do(func() {
			sh.Select(TabDesk)
			if l.ID != "" {
				desk.Open(l.ID)
			}
		})
	}
}
