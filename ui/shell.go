package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"github.com/vienreiz/vienreiz/app"
)

// NarrowWidth is the width below which the phone layout (bottom
// navigation) is used instead of the desktop layout (side navigation).
const NarrowWidth float32 = 600

// Tab indexes, in navigation order.
const (
	TabServices = iota
	TabRequests
	TabWallet
	TabInbox
	TabProfile
)

// Shell is the app's frame: the five main destinations with a navigation
// bar at the bottom on a phone and at the side on a desktop.
type Shell struct {
	screens  []fyne.CanvasObject
	homes    []homed // the destinations with pages of their own
	buttons  []*navButton
	selected int
	layout   *shellLayout
	content  *fyne.Container
}

// NewShell builds the destinations for session s in win.
func NewShell(win fyne.Window, s *app.Session) *Shell {
	sh := &Shell{}
	add := func(icon fyne.Resource, key string, screen fyne.CanvasObject) {
		i := len(sh.screens)
		sh.screens = append(sh.screens, screen)
		sh.buttons = append(sh.buttons, newNavButton(icon, lang.L(key), func() { sh.Select(i) }))
	}
	requests := NewRequestsScreen(win, s)
	openRequest := func(id string) {
		sh.Select(TabRequests)
		requests.Open(id)
	}
	services := NewServicesScreen(win, s, openRequest)
	requests.OpenService = func(id string) {
		sh.Select(TabServices)
		services.OpenService(id)
	}
	requests.AskAgain = func(id, requirement string) {
		sh.Select(TabServices)
		services.AskForEvidence(id, requirement)
	}
	s.Links.Show = linkShower(win, s, sh, services, requests)
	add(theme.SearchIcon(), "nav.services", services)
	add(theme.DocumentIcon(), "nav.requests", gated(win, s, requests, lang.L("signin.for_requests")))
	wallet := NewWalletScreen(win, s, openRequest)
	sh.homes = append(sh.homes, services, requests, wallet)
	sh.pagesForOnePerson(s)
	add(theme.FolderIcon(), "nav.wallet", gated(win, s, wallet, lang.L("signin.for_wallet")))
	add(theme.MailComposeIcon(), "nav.inbox", gated(win, s, NewInboxScreen(win, s, openRequest), lang.L("signin.for_inbox")))
	add(theme.AccountIcon(), "nav.profile", NewProfileScreen(win, s))
	addDesk(win, s, sh, add)
	inbox := sh.buttons[TabInbox]
	listen(s, s.Inbox.Unread, func() {
		n, _ := s.Inbox.Unread.Get()
		inbox.setBadge(n)
	})

	nav := container.NewVBox()
	for _, b := range sh.buttons {
		nav.Add(b)
	}
	divider := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
	sh.layout = &shellLayout{nav: nav, mobile: fyne.CurrentDevice().IsMobile()}
	sh.content = container.New(sh.layout, newBorder(container.NewVBox(newBanner(s), newActingBar(s)), nil, nil, nil, container.NewStack(sh.screens...)), nav, divider)
	sh.Select(TabServices)
	sh.addShortcuts(win)
	return sh
}

// homed is a destination with pages of its own; Home closes them.
type homed interface{ Home() }

// pagesForOnePerson sends every destination back to its first page when
// the person changes: at a sign-out, and when someone other than the last
// person signs in after that person's session ended. What one person
// opened (a request, a document, an application at the desk) is not shown
// to whoever uses the app next, on a shared computer or a handed-on phone.
// Signing in where nobody was, or again, keeps the place.
func (sh *Shell) pagesForOnePerson(s *app.Session) {
	if s.Account == nil {
		return
	}
	last := "" // who the pages were opened for
	if p, ok := s.Account.Person(); ok {
		last = p.Identifier
	}
	whileDrawn(s, s.Account.OnChange(func() {
		p, in := s.Account.Person()
		ended := s.Account.Expired()
		fyne.Do(func() {
			switch {
			case in && (last == "" || last == p.Identifier):
			case !in && ended:
				return // asked to sign in again: most often the same person
			default:
				for _, h := range sh.homes {
					h.Home()
				}
			}
			last = ""
			if in {
				last = p.Identifier
			}
		})
	}))
}

// Content is the object to put in the window.
func (s *Shell) Content() fyne.CanvasObject { return s.content }

// Selected returns the index of the open destination.
func (s *Shell) Selected() int { return s.selected }

// Select opens destination i.
func (s *Shell) Select(i int) {
	if i < 0 || i >= len(s.screens) {
		return
	}
	s.selected = i
	for j, screen := range s.screens {
		s.buttons[j].setSelected(j == i)
		if j == i {
			screen.Show()
		} else {
			screen.Hide()
		}
	}
}

// Narrow reports whether the phone layout is in use.
func (s *Shell) Narrow() bool { return s.layout.narrow }

// addShortcuts binds Alt+1 … Alt+5 to the destinations on desktops.
func (s *Shell) addShortcuts(win fyne.Window) {
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5}
	for i, k := range keys {
		win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt}, func(fyne.Shortcut) {
			s.Select(i)
		})
	}
}

// shellLayout places the screens, the navigation bar and a divider line:
// the bar along the bottom with the destinations side by side when the
// space is narrow (or the device is a phone), else down the leading side.
// Objects are: screens, navigation, divider.
type shellLayout struct {
	nav    *fyne.Container
	mobile bool
	placed bool // the navigation's arrangement has been set once
	narrow bool // the navigation is at the bottom
	shown  int  // destinations shown (the desk's is for clerks only)
}

func (l *shellLayout) arrange(width float32) {
	narrow := l.mobile || width < NarrowWidth
	shown := 0
	for _, o := range l.nav.Objects {
		if o.Visible() {
			shown++
		}
	}
	if l.placed && narrow == l.narrow && shown == l.shown {
		return
	}
	l.placed, l.narrow, l.shown = true, narrow, shown
	for _, o := range l.nav.Objects {
		if b, ok := o.(*navButton); ok {
			b.compact = narrow
			b.Refresh()
		}
	}
	if narrow {
		l.nav.Layout = layout.NewGridLayoutWithColumns(shown)
	} else {
		l.nav.Layout = layout.NewVBoxLayout()
	}
}

func (l *shellLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.arrange(size.Width)
	screens, nav, divider := objects[0], objects[1], objects[2]
	navMin := nav.MinSize()
	line := theme.SeparatorThicknessSize()
	if l.narrow {
		screenHeight := size.Height - navMin.Height - line
		screens.Move(fyne.NewPos(0, 0))
		screens.Resize(fyne.NewSize(size.Width, screenHeight))
		divider.Move(fyne.NewPos(0, screenHeight))
		divider.Resize(fyne.NewSize(size.Width, line))
		nav.Move(fyne.NewPos(0, screenHeight+line))
		nav.Resize(fyne.NewSize(size.Width, navMin.Height))
		return
	}
	nav.Move(fyne.NewPos(0, 0))
	nav.Resize(fyne.NewSize(navMin.Width, size.Height))
	divider.Move(fyne.NewPos(navMin.Width, 0))
	divider.Resize(fyne.NewSize(line, size.Height))
	screens.Move(fyne.NewPos(navMin.Width+line, 0))
	screens.Resize(fyne.NewSize(size.Width-navMin.Width-line, size.Height))
}

func (l *shellLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	screens, nav := objects[0].MinSize(), objects[1].MinSize()
	if l.narrow {
		return fyne.NewSize(max(screens.Width, nav.Width), screens.Height+nav.Height)
	}
	return fyne.NewSize(screens.Width+nav.Width, max(screens.Height, nav.Height))
}
