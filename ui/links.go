package ui

import (
	"context"
	"errors"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

// handoffBar lets the user carry on in the app with a request started on
// a portal: by typing the code under its QR code, or by opening a picture
// (a screenshot, a photo) of the QR code. open shows the started request.
func handoffBar(win fyne.Window, s *app.Session, open func(id string)) fyne.CanvasObject {
	code := widget.NewButtonWithIcon(lang.L("handoff.enter_code"), theme.LoginIcon(), func() { askForCode(win, s, open) })
	picture := widget.NewButtonWithIcon(lang.L("handoff.open_picture"), theme.FileImageIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			redeemPicture(win, s, open, r)
		}, win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg"}))
		present(win, d, nil)
	})
	hint := wrapped(lang.L("handoff.explained"))
	return container.NewVBox(hint, container.New(&sideBySide{}, code, picture))
}

// redeemPicture redeems the QR code in the picture file r and closes it.
// The picture is read once: a redeem tried again after a sign-in uses the
// link it held.
func redeemPicture(win fyne.Window, s *app.Session, open func(id string), r io.ReadCloser) {
	call(s, func(context.Context) {
		link, err := app.HandoffInImage(r)
		r.Close()
		if err != nil {
			fyne.Do(func() { showProblem(win, app.HandoffProblem(err)) })
			return
		}
		redeemAgain(win, s, open, func(ctx context.Context) (*api.Request, error) { return s.Handoff.RedeemLink(ctx, link) })
	})
}

// askForCode asks for a handoff's short code and redeems it.
func askForCode(win fyne.Window, s *app.Session, open func(id string)) {
	entry := newEscapeEntry(win)
	entry.SetPlaceHolder(lang.L("handoff.code_placeholder"))
	form := dialog.NewForm(lang.L("handoff.code_title"), lang.L("handoff.continue"), lang.L("handoff.cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("handoff.code_label"), entry)},
		func(ok bool) {
			if ok {
				code := entry.Text
				redeemAgain(win, s, open, func(ctx context.Context) (*api.Request, error) { return s.Handoff.RedeemCode(ctx, code) })
			}
		}, win)
	entry.OnSubmitted = func(string) { form.Submit() } // Enter sends the code
	present(win, form, nil)
	win.Canvas().Focus(entry)
}

// redeemAgain is redeem for a typed code or a picture's link: after the
// sign-in it asked for, it is redeemed again.
func redeemAgain(win fyne.Window, s *app.Session, open func(id string), redeemCall func(context.Context) (*api.Request, error)) {
	redeem(win, s, open, redeemCall, func() { redeemAgain(win, s, open, redeemCall) })
}

// redeem runs a redeem call in the background, then opens the request it
// started or says why it was refused. Signed out, a code for a signed-in
// person asks to sign in, then runs afterSignIn.
func redeem(win fyne.Window, s *app.Session, open func(id string), redeemCall func(context.Context) (*api.Request, error), afterSignIn func()) {
	call(s, func(ctx context.Context) {
		req, err := redeemCall(ctx)
		if err == nil {
			_ = s.Requests.Refresh(ctx)
		}
		fyne.Do(func() {
			switch {
			case errors.Is(err, app.ErrNotPairing) && s.Account != nil:
				askSignIn(win, s, lang.L("handoff.sign_in_to_continue"), "", afterSignIn)
			case err != nil:
				showProblem(win, s.Acting.ForWhom(app.HandoffProblem(err)))
			case req == nil: // a pairing signed this device in
				showSignedInByPairing(win, s)
			default:
				open(req.ID)
			}
		})
	})
}

// linkShower opens the screen a direct link names, in the shell's tabs.
// A handoff link is redeemed and opens the request it starts.
func linkShower(win fyne.Window, s *app.Session, sh *Shell, services *ServicesScreen, requests *RequestsScreen) func(app.Link) {
	openRequest := func(id string) {
		sh.Select(TabRequests)
		requests.Open(id)
	}
	return func(l app.Link) {
		fyne.Do(func() {
			switch l.Screen {
			case app.ScreenServices:
				sh.Select(TabServices)
				if l.ID != "" {
					services.OpenService(l.ID)
				}
			case app.ScreenRequests, app.ScreenWallet:
				if l.ID == "" {
					sh.Select(map[string]int{app.ScreenRequests: TabRequests, app.ScreenWallet: TabWallet}[l.Screen])
					return
				}
				openRequest(l.ID) // a document's page is its request's
			case app.ScreenInbox:
				sh.Select(TabInbox)
			case app.ScreenProfile:
				sh.Select(TabProfile)
			case app.ScreenHandoff:
				link := l.App()
				// Signed out, the link waits in Links, which follows it
				// again after any sign-in: nothing more to do after it.
				redeem(win, s, openRequest, func(ctx context.Context) (*api.Request, error) {
					req, err := s.Handoff.RedeemLink(ctx, link)
					if errors.Is(err, app.ErrNotPairing) {
						s.Links.Wait(l)
					}
					return req, err
				}, func() {})
			}
		})
	}
}

// copyLinkButton puts both forms of link l on the clipboard: the https
// form, which works everywhere, is what is copied; the message shows it.
func copyLinkButton(win fyne.Window, links *app.Links, l app.Link) *widget.Button {
	return widget.NewButtonWithIcon(lang.L("link.copy"), theme.ContentCopyIcon(), func() {
		link := l.Web(links.Base)
		fyne.CurrentApp().Clipboard().SetContent(link)
		inform(win, lang.L("link.copy"), lang.L("link.copied", map[string]any{"Link": link}))
	})
}

// onMobile reports whether the app runs on a phone or tablet (a test may
// pretend it does).
var onMobile = func() bool { return fyne.CurrentDevice().IsMobile() }

// pairButton shows a QR code and a short code that open request id on
// another device: the person's phone (on a phone, their other device), or
// (label desk.pair) the citizen's.
func pairButton(win fyne.Window, s *app.Session, id, label string) *wrapButton {
	body := "pair.body"
	switch {
	case label == "desk.pair":
		body = "desk.pair_body"
	case onMobile():
		label, body = "pair.button_mobile", "pair.body_mobile"
	}
	return newWrapButton(lang.L(label), phoneIcon, func() {
		call(s, func(ctx context.Context) {
			p, err := s.Handoff.Pair(ctx, id)
			fyne.Do(func() {
				if err != nil {
					showProblem(win, app.ProblemOf(err))
					return
				}
				showPairing(win, p, "pair.title", body)
			})
		})
	})
}

// showPairing shows a pairing's QR code, its short code and until when
// they work, with the texts of keys title and body.
func showPairing(win fyne.Window, p *app.Pairing, title, body string) dialog.Dialog {
	qr := canvas.NewImageFromResource(fyne.NewStaticResource("pairing.png", p.QR))
	qr.FillMode = canvas.ImageFillContain
	qr.ScaleMode = canvas.ImageScalePixels
	qr.SetMinSize(fyne.NewSize(240, 240))
	code := widget.NewLabelWithStyle(p.Code, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	code.SizeName = theme.SizeNameHeadingText
	content := container.NewVBox(qr, code, wrapped(lang.L(body, map[string]any{"Time": p.ExpiresAt.Local().Format("15:04")})))
	return showDialog(win, lang.L(title), content)
}

// showSignedInByPairing says who this device is now signed in as.
func showSignedInByPairing(win fyne.Window, s *app.Session) {
	if s.Account == nil {
		return
	}
	p, ok := s.Account.Person()
	if !ok {
		return
	}
	inform(win, lang.L("pair.signed_in_title"), lang.L("pair.signed_in",
		map[string]any{"Name": p.GivenName + " " + p.FamilyName, "Level": levelName(p.Level)}))
}
