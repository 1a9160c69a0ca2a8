package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"github.com/vienreiz/vienreiz/app"
)

// NarrowWidth is the width below which the phone layout (bottom
// navigation) is used instead of the desktop layout (side navigation).
const NarrowWidth float32 = 600

// Shell is the app's frame: the five main tabs with navigation that sits at
// the bottom on a phone and at the side on a desktop.
type Shell struct {
	tabs    *container.AppTabs
	layout  *adaptiveLayout
	content fyne.CanvasObject
}

// Tab indexes, in navigation order.
const (
	TabServices = iota
	TabRequests
	TabWallet
	TabInbox
	TabProfile
)

// NewShell builds the tabs for session s in win.
func NewShell(win fyne.Window, s *app.Session) *Shell {
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("nav.services"), theme.SearchIcon(), NewServicesScreen(win, s.Catalogue, s.Language)),
		container.NewTabItemWithIcon(lang.L("nav.requests"), theme.DocumentIcon(), NewEmptyState(theme.DocumentIcon(), "requests")),
		container.NewTabItemWithIcon(lang.L("nav.wallet"), theme.FolderIcon(), NewEmptyState(theme.FolderIcon(), "wallet")),
		container.NewTabItemWithIcon(lang.L("nav.inbox"), theme.MailComposeIcon(), NewEmptyState(theme.MailComposeIcon(), "inbox")),
		container.NewTabItemWithIcon(lang.L("nav.profile"), theme.AccountIcon(), NewProfileScreen(s)),
	)
	sh := &Shell{tabs: tabs, layout: &adaptiveLayout{tabs: tabs, mobile: fyne.CurrentDevice().IsMobile()}}
	sh.content = container.New(sh.layout, tabs)
	sh.addShortcuts(win)
	return sh
}

// Content is the object to put in the window.
func (s *Shell) Content() fyne.CanvasObject { return s.content }

// Selected returns the index of the open tab.
func (s *Shell) Selected() int { return s.tabs.SelectedIndex() }

// Select opens tab i.
func (s *Shell) Select(i int) { s.tabs.SelectIndex(i) }

// Narrow reports whether the phone layout is in use.
func (s *Shell) Narrow() bool { return s.layout.narrow }

// addShortcuts binds Alt+1 … Alt+5 to the tabs on desktops.
func (s *Shell) addShortcuts(win fyne.Window) {
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5}
	for i, k := range keys {
		win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt}, func(fyne.Shortcut) {
			s.Select(i)
		})
	}
}

// adaptiveLayout fills the space with the tabs and moves their navigation
// to the bottom when the space is narrow (or the device is a phone) and to
// the leading side otherwise.
type adaptiveLayout struct {
	tabs   *container.AppTabs
	mobile bool
	placed bool // the location has been set at least once
	narrow bool // the navigation is at the bottom
}

func (l *adaptiveLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	narrow := l.mobile || size.Width < NarrowWidth
	if !l.placed || narrow != l.narrow {
		l.placed, l.narrow = true, narrow
		if narrow {
			l.tabs.SetTabLocation(container.TabLocationBottom)
		} else {
			l.tabs.SetTabLocation(container.TabLocationLeading)
		}
	}
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *adaptiveLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return l.tabs.MinSize()
}
