package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/app/signin"
)

// signInTimeout bounds how long the app waits for the person to finish
// signing in at the provider's page.
const signInTimeout = 10 * time.Minute

// signIn opens the provider's sign-in page (at level, "" for the
// default) and waits for it with a dialog that can cancel; then runs
// after a successful sign-in, on the UI thread. The screen underneath stays
// as it was.
func signIn(win fyne.Window, s *app.Session, level string, then func()) {
	ctx, cancel := context.WithTimeout(s.Context(), signInTimeout)
	waiting, pageOpened := signInWaiting(win, cancel)
	ctx = signin.WithPageOpened(ctx, func(page string, browserErr error) { fyne.Do(func() { pageOpened(page, browserErr) }) })
	present(win, waiting, nil) // Escape cancels, as its button does
	s.Background(func() {
		err := s.Account.SignIn(ctx, level)
		cancel()
		fyne.Do(func() {
			waiting.Hide()
			switch {
			case err != nil && ctx.Err() == context.Canceled:
				// The person cancelled.
			case err != nil:
				showProblem(win, app.Problem{Code: "sign_in", Text: lang.L("error.sign_in")})
			case then != nil:
				then()
			}
		})
	})
}

// signInWaiting is the dialog shown while the person signs in at the
// provider's page, which cancel ends; pageOpened lets the person copy the
// page's address from it, for a browser that did not show the page (none
// is set up, or it failed to start), and, told that the browser failed,
// says so instead of saying the page opened, and shrinks to that one
// text. The button is there, disabled, from the start.
func signInWaiting(win fyne.Window, cancel func()) (waiting dialog.Dialog, pageOpened func(page string, browserErr error)) {
	copyPage := widget.NewButtonWithIcon(lang.L("signin.copy_page"), theme.ContentCopyIcon(), nil)
	copyPage.Disable()
	opened, noPage := wrapped(lang.L("signin.waiting_body")), wrapped(lang.L("signin.no_browser"))
	body := container.NewVBox(opened, noPage, container.NewHBox(copyPage))
	scroll := dialogBody(win, body)
	waiting = dialog.NewCustom(lang.L("signin.waiting_title"), lang.L("signin.cancel"), scroll, win)
	waiting.SetOnClosed(cancel)
	return waiting, func(page string, browserErr error) {
		copyPage.OnTapped = func() { fyne.CurrentApp().Clipboard().SetContent(page) }
		copyPage.Enable()
		if browserErr != nil {
			opened.SetText(lang.L("signin.browser_failed"))
			opened.Importance = widget.WarningImportance
			noPage.Hide()
			body.Refresh()
			fitDialogBody(win, scroll) // no room left for the hidden text
			waiting.Resize(waiting.MinSize())
		}
	}
}

// askSignIn says why a sign-in is needed (reason, a translated sentence)
// and offers it; then runs once the person has signed in.
func askSignIn(win fyne.Window, s *app.Session, reason, level string, then func()) {
	var d *dialog.CustomDialog
	now := widget.NewButtonWithIcon(lang.L("signin.button"), theme.LoginIcon(), func() {
		d.Hide()
		signIn(win, s, level, then)
	})
	now.Importance = widget.HighImportance
	later := widget.NewButton(lang.L("signin.later"), func() { d.Hide() })
	d = newDialog(win, lang.L("signin.title"), wrapped(reason), later, now)
	present(win, d, d.Hide)
}

// withPerson runs action at once when someone is signed in (or the app
// acts for the demo's built-in person); otherwise it asks to sign in and
// runs action after, so the person carries on where they were.
func withPerson(win fyne.Window, s *app.Session, action func()) {
	if s.Account == nil || s.Account.SignedIn() {
		action()
		return
	}
	askSignIn(win, s, lang.L("signin.needed"), "", action)
}

// signInAgain handles an error that needs a new or higher sign-in: the
// session has ended, or the evidence needs a higher level of assurance
// (step-up). It asks to sign in and runs retry after; it reports whether
// err was such an error.
func signInAgain(win fyne.Window, s *app.Session, err error, retry func()) bool {
	level, needed := app.SignInNeeded(err)
	if !needed || s.Account == nil {
		return false
	}
	reason := lang.L("signin.needed")
	switch {
	case level != "":
		reason = lang.L("signin.step_up", map[string]any{"Level": levelName(level)})
	case s.Account.Expired():
		reason = lang.L("signin.expired")
	}
	askSignIn(win, s, reason, level, retry)
	return true
}

// levelName is the translated name of a level of assurance.
func levelName(level string) string { return lang.X("level."+level, level) }

// gated shows screen to a signed-in person and, to nobody, a page that
// says what signing in gives (body) with the sign-in button.
func gated(win fyne.Window, s *app.Session, screen fyne.CanvasObject, body string) fyne.CanvasObject {
	if s.Account == nil {
		return screen
	}
	ended := wrapped(lang.L("signin.expired"))
	page := container.NewVBox(titledCard(lang.L("signin.title"), "", container.NewVBox(
		ended,
		wrapped(body),
		container.NewHBox(signInButton(win, s)),
	)))
	// The page's scroll container itself is hidden while someone is
	// signed in: left over the screen, empty, it took every wheel and
	// swipe meant for the screen's own pages.
	pageScroll := container.NewVScroll(page)
	update := func() {
		ended.Hidden = !s.Account.Expired()
		if s.Account.SignedIn() {
			pageScroll.Hide()
			screen.Show()
		} else {
			screen.Hide()
			pageScroll.Show()
		}
	}
	update()
	whileDrawn(s, s.Account.OnChange(func() { fyne.Do(update) }))
	return container.NewStack(screen, pageScroll)
}

// signInButton signs in at the provider's default level.
func signInButton(win fyne.Window, s *app.Session) *widget.Button {
	b := widget.NewButtonWithIcon(lang.L("signin.button"), theme.LoginIcon(), func() { signIn(win, s, "", nil) })
	b.Importance = widget.HighImportance
	return b
}

// newAccountCard is the profile's sign-in card: who is signed in (name,
// identifier, level of assurance) with sign out and sign out everywhere,
// or the sign-in button. The demo without sign-in says so.
func newAccountCard(win fyne.Window, s *app.Session) fyne.CanvasObject {
	if s.Account == nil {
		return titledCard(lang.L("profile.signin"), "", wrapped(lang.L("profile.signin_body")))
	}
	body := container.NewVBox()
	card := titledCard(lang.L("profile.signin"), "", body)
	draw := func() {
		p, ok := s.Account.Person()
		if !ok {
			text := lang.L("signin.signed_out")
			if s.Account.Expired() {
				text = lang.L("signin.expired")
			}
			body.Objects = []fyne.CanvasObject{wrapped(text), container.NewHBox(signInButton(win, s))}
			body.Refresh()
			return
		}
		out := func(everywhere bool) {
			call(s, func(ctx context.Context) {
				if err := s.Account.SignOut(ctx, everywhere); err != nil {
					fyne.Do(func() { showProblem(win, app.Problem{Code: "sign_out", Text: lang.L("error.sign_out")}) })
				}
			})
		}
		signOut := widget.NewButtonWithIcon(lang.L("signin.sign_out"), theme.LogoutIcon(), func() { out(false) })
		everywhere := widget.NewButtonWithIcon(lang.L("signin.sign_out_everywhere"), theme.LogoutIcon(), func() {
			confirm(win, lang.L("signin.sign_out_everywhere"), lang.L("signin.sign_out_everywhere_body"), lang.L("signin.sign_out_everywhere"), func() { out(true) })
		})
		// The name and date of birth are what an authority matches its
		// records by (EDM:ERR:0004's help sends people here to check them).
		facts := newFacts(
			widget.NewFormItem(lang.L("signin.name"), wrapped(p.GivenName+" "+p.FamilyName)),
			widget.NewFormItem(lang.L("signin.identifier"), wrapped(p.Identifier)))
		if p.DateOfBirth != "" {
			addFact(facts, lang.L("signin.date_of_birth"), wrapped(p.DateOfBirth))
		}
		addFact(facts, lang.L("signin.level"), wrapped(levelName(p.Level)))
		if role := roleLine(s); role != nil {
			addFact(facts, lang.L("admin.role"), role)
		}
		body.Objects = []fyne.CanvasObject{
			facts,
			buttons(signOut, everywhere), // side by side they need 540 px at 200 % in English
		}
		body.Refresh()
	}
	draw()
	whileDrawn(s, s.Account.OnChange(func() { fyne.Do(draw) }))
	// The role comes from the service after the sign-in (GET /v1/me).
	listen(s, s.Role, draw)
	return card
}

// roleLine says the role the service gives the person signed in, a
// clerk's with their institution ("Clerk · Register of Enterprises…");
// nil for a citizen.
func roleLine(s *app.Session) *widget.Label {
	role, _ := s.Role.Get()
	switch role {
	case api.RoleAdministrator:
		return wrapped(lang.L("admin.role_administrator"))
	case api.RoleClerk:
	default:
		return nil
	}
	line := wrapped(lang.L("admin.role_clerk"))
	id, _ := s.Institution.Get()
	if id == "" {
		return line
	}
	call(s, func(ctx context.Context) {
		name := s.Catalogue.InstitutionName(ctx, id, s.Language.Code())
		fyne.Do(func() { line.SetText(lang.L("admin.role_clerk") + " · " + name) })
	})
	return line
}

// forPerson shows obj only while someone is signed in (always in the
// demo without sign-in).
func forPerson(s *app.Session, obj fyne.CanvasObject) fyne.CanvasObject {
	if s.Account == nil {
		return obj
	}
	update := func() {
		if s.Account.SignedIn() {
			obj.Show()
		} else {
			obj.Hide()
		}
	}
	update()
	whileDrawn(s, s.Account.OnChange(func() { fyne.Do(update) }))
	return obj
}
