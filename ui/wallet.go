package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// WalletScreen is "my evidence" (P4): the delivered evidence documents as
// cards, newest first; a card opens the document's page, which saves a
// copy or opens the request it came with.
type WalletScreen struct {
	widget.BaseWidget
	sess        *app.Session
	win         fyne.Window
	nav         *pages
	list        *widget.List
	openRequest func(id string)
	// services name the documents the providers did not name in the
	// user's language.
	services *listedServices
	// saver saves copies of documents.
	saver *saver
	// openURL opens a file with the system's viewer (tests record it).
	openURL func(*url.URL) error
}

// NewWalletScreen builds the wallet over the session's wallet model;
// openRequest shows a request's page.
func NewWalletScreen(win fyne.Window, s *app.Session, openRequest func(id string)) *WalletScreen {
	ws := &WalletScreen{sess: s, win: win, openRequest: openRequest, services: newListedServices(s)}
	ws.ExtendBaseWidget(ws)
	ws.saver = newSaver(win, s)
	ws.openURL = systemOpener(s)
	model := s.Wallet
	finder := newListFinder(s, model.Items, model.Loads, "wallet.find", func(v any) string {
		it, _ := v.(app.WalletItem)
		top, bottom := ws.rowText(it)
		return top + " " + bottom
	})
	var listed fyne.CanvasObject
	ws.list, listed = newValueList(s, finder.Shown, newTwoLineRow, func(v any, obj fyne.CanvasObject) {
		if it, ok := v.(app.WalletItem); ok {
			ws.setRow(obj, it)
		}
	})
	ws.services.redraw = ws.list.Refresh
	ws.list.OnSelected = func(id widget.ListItemID) {
		ws.list.Unselect(id)
		if v, err := finder.Shown.GetValue(id); err == nil {
			if it, ok := v.(app.WalletItem); ok {
				ws.Open(it)
			}
		}
	}
	empty := NewEmptyState(theme.FolderIcon(), "wallet")
	listen(s, model.Items, func() {
		if model.Items.Length() == 0 {
			empty.Show()
			ws.list.Hide()
		} else {
			empty.Hide()
			ws.list.Show()
		}
	})
	ws.nav = newPages(newBorder(container.NewVBox(finder.Entry, finder.None), nil, nil, nil, container.NewStack(listed, empty)), lang.L("wallet.title"))
	return ws
}

// CreateRenderer draws the navigation stack.
func (ws *WalletScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(ws.nav)
}

// Home shows the list, the document's page closed.
func (ws *WalletScreen) Home() { ws.nav.Home() }

// Open shows the page of one document on top of the list.
func (ws *WalletScreen) Open(it app.WalletItem) {
	call(ws.sess, func(ctx context.Context) {
		service := ""
		if svc, err := ws.sess.Catalogue.Service(ctx, it.ServiceID); err == nil {
			service = svc.Name.In(ws.sess.Language.Code())
		}
		fyne.Do(func() { ws.nav.Open(ws.page(it, service), ws.title(it)) })
	})
}

// page shows what a person cares about — what the document is, who
// issued it, when, and for which service — and what can be done with it;
// the technical details are one tap away.
func (ws *WalletScreen) page(it app.WalletItem, service string) fyne.CanvasObject {
	code := ws.sess.Language.Code()
	it = ws.named(it) // its name, and its copy's
	named := ws.title(it)
	facts := newFacts(
		widget.NewFormItem(lang.L("wallet.evidence"), wrapped(named)),
		widget.NewFormItem(lang.L("wallet.issued_by"), wrapped(it.Issuer(code))),
		widget.NewFormItem(lang.L("detail.country"), wrapped(countryName(it.Country))),
		widget.NewFormItem(lang.L("wallet.delivered"), wrapped(formatTime(it.DeliveredAt))),
	)
	if own := it.Title(code); own != "" && own != named {
		addFact(facts, lang.L("request.provider_name"), wrapped(own))
	}
	if it.For != "" {
		addFact(facts, lang.L("wallet.about"), wrapped(it.ForName))
	}
	if service != "" {
		addFact(facts, lang.L("request.service"), wrapped(service))
	}
	addFact(facts, lang.L("wallet.validity"), wrapped(lang.L("wallet.validity_body")))
	sum := wrapped(it.SHA256)
	sum.Wrapping = fyne.TextWrapBreak
	technical := newFacts(
		widget.NewFormItem(lang.L("wallet.content_type"), wrapped(it.ContentType)),
		widget.NewFormItem(lang.L("wallet.size"), wrapped(formatSize(it.Size, code))),
		widget.NewFormItem(lang.L("wallet.sha256"), sum),
		widget.NewFormItem(lang.L("wallet.request"), wrapped(it.RequestID)),
	)
	details := newDisclosure(lang.L("wallet.technical"), technical)
	open := openDocumentButton(ws.win, ws.sess, &ws.openURL, it)
	open.SetImportance(widget.HighImportance)
	save := saveDocumentButton(ws.saver, ws.sess, it)
	request := newWrapButton(lang.L("wallet.open_request"), theme.DocumentIcon(), func() {
		ws.openRequest(it.RequestID)
	})
	body := container.NewVBox(wrapped(lang.L("wallet.detail_body")), facts,
		container.NewGridWrap(fyne.NewSize(200, open.MinSize().Height), open, save, request, copyLinkButton(ws.win, ws.sess.Links, app.DocumentLink(it.RequestID, it.Index))), details)
	if app.IsStructured(it.ContentType) {
		body.Objects = append(body.Objects[:2], append([]fyne.CanvasObject{ws.contents(it)}, body.Objects[2:]...)...)
	}
	return container.NewVScroll(container.NewPadded(body))
}

// maxShownStructured bounds the structured documents shown as fields; a
// larger one is opened or saved instead.
const maxShownStructured = 4 << 20

// contents shows a structured (XML) document's fields with labels in the
// user's language, read from the checked copy once the page is open.
func (ws *WalletScreen) contents(it app.WalletItem) fyne.CanvasObject {
	box := container.NewVBox(wrapped(lang.L("wallet.contents_loading")))
	card := titledCard(lang.L("wallet.contents"), "", box)
	if it.Size > maxShownStructured {
		box.Objects = []fyne.CanvasObject{wrapped(lang.L("wallet.contents_too_large"))}
		return card
	}
	call(ws.sess, func(ctx context.Context) {
		var buf bytes.Buffer
		err := ws.sess.Wallet.Save(ctx, it, &buf)
		var doc *app.StructuredEvidence
		if err == nil {
			doc, err = app.ReadStructured(buf.Bytes(), ws.sess.Language.Code())
		}
		fyne.Do(func() {
			if err != nil {
				box.Objects = []fyne.CanvasObject{wrapped(lang.L("wallet.contents_unreadable"))}
			} else {
				facts := newFacts()
				for _, f := range doc.Fields {
					addFact(facts, f.Label, wrapped(f.Value))
				}
				box.Objects = []fyne.CanvasObject{facts}
				if doc.More {
					box.Add(wrapped(lang.L("wallet.contents_more")))
				}
			}
			box.Refresh()
		})
	})
	return card
}

// openDocumentButton is "Open" of document it: it shows the document with
// the system's viewer (a PDF in the PDF reader), checked and written to
// the app's cache folder under its own name (openDocument). When no app
// opens it, the person is told and offered to save a copy. openURL is
// the screen's opener, read when the button is tapped (tests set it).
func openDocumentButton(win fyne.Window, s *app.Session, openURL *func(*url.URL) error, it app.WalletItem) *wrapButton {
	return newWrapButton(lang.L("wallet.open"), theme.FileIcon(), func() { openDocument(win, s, *openURL, it) })
}

// saveDocumentButton is "Save a copy…" of document it: checked as the
// wallet's Save checks it, where the person chooses.
func saveDocumentButton(sv *saver, s *app.Session, it app.WalletItem) *wrapButton {
	return newWrapButton(lang.L("wallet.save"), theme.DocumentSaveIcon(), func() {
		sv.save(it.FileName(s.Language.Code()), func(ctx context.Context, w io.Writer) error { return s.Wallet.Save(ctx, it, w) },
			func(name, folder string) (string, string) {
				return lang.L("wallet.saved_title"), savedText("wallet.saved", name, folder)
			})
	})
}

// openDocument checks document it, writes a copy under its own name
// (app.OpenedDocuments) and opens it with openURL (the system's viewer);
// the person is told when that fails or no app opens it, and the copy no
// app opened is not kept.
func openDocument(win fyne.Window, s *app.Session, openURL func(*url.URL) error, it app.WalletItem) {
	call(s, func(ctx context.Context) {
		path, err := s.Wallet.Cache(ctx, it, it.FileName(s.Language.Code()))
		if err != nil {
			fyne.Do(func() { showProblem(win, app.ProblemOf(err)) })
			return
		}
		if err := openURL(&url.URL{Scheme: "file", Path: path}); err != nil {
			s.Wallet.Opened.Discard(path)
			fyne.Do(func() {
				showProblem(win, app.Problem{Code: "no_viewer", Text: lang.L("error.no_viewer", map[string]any{"Kind": app.DocumentKind(it.ContentType)})})
			})
		}
	})
}

// title names the document's evidence in the user's language
// (app.EvidenceName).
func (ws *WalletScreen) title(it app.WalletItem) string {
	if t := ws.named(it).Name(ws.sess.Language.Code()); t != "" {
		return t
	}
	return lang.L("request.evidence")
}

// named is it with the service's name of its evidence (WalletItem.Need)
// when the provider did not name it in the user's language and the
// service was read.
func (ws *WalletScreen) named(it app.WalletItem) app.WalletItem {
	if app.TitleIn(it.Titles, ws.sess.Language.Code()) == "" {
		it.Need = app.NeedOf(ws.services.of(it.ServiceID), it.Requirement)
	}
	return it
}

// setRow fills a wallet row: the document, then for whom it was asked
// when not for the user, who issued it, where and when it came. The row is
// a list row, so all of it opens the document, and its lines are cut short
// rather than widen a phone's screen.
func (ws *WalletScreen) setRow(obj fyne.CanvasObject, it app.WalletItem) {
	title, about := ws.rowText(it)
	setTwoLineRow(obj, title, about)
}

// rowText is what a document's row shows: its title, and who issued it,
// where and when it came (and for whom, when not for the person).
func (ws *WalletScreen) rowText(it app.WalletItem) (title, about string) {
	about = it.Issuer(ws.sess.Language.Code()) + " · " + countryName(it.Country) + " · " +
		lang.L("wallet.card_received", map[string]any{"Date": formatTime(it.DeliveredAt)})
	if it.For != "" {
		about = lang.L("for_whom", map[string]any{"Name": it.ForName}) + " · " + about
	}
	return ws.title(it), about
}

// formatSize shows a byte count the way people read it (e.g. 12.5 KB),
// with the decimal comma in Latvian.
func formatSize(n int64, code string) string {
	var s string
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		s = fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	default:
		s = fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	if code == "lv" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
