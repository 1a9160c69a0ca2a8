package ui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
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
	// saver saves copies of documents.
	saver *saver
}

// NewWalletScreen builds the wallet over the session's wallet model;
// openRequest shows a request's page.
func NewWalletScreen(win fyne.Window, s *app.Session, openRequest func(id string)) *WalletScreen {
	ws := &WalletScreen{sess: s, win: win, openRequest: openRequest}
	ws.ExtendBaseWidget(ws)
	ws.saver = newSaver(win, s.Background)
	model := s.Wallet
	ws.list = widget.NewListWithData(model.Items, newWalletCard, func(item binding.DataItem, obj fyne.CanvasObject) {
		v, _ := item.(binding.Untyped).Get()
		if it, ok := v.(app.WalletItem); ok {
			ws.setCard(obj.(*widget.Card), it)
		}
	})
	ws.list.OnSelected = func(id widget.ListItemID) {
		ws.list.Unselect(id)
		if v, err := model.Items.GetValue(id); err == nil {
			if it, ok := v.(app.WalletItem); ok {
				ws.Open(it)
			}
		}
	}
	empty := NewEmptyState(theme.FolderIcon(), "wallet")
	model.Items.AddListener(binding.NewDataListener(func() {
		if model.Items.Length() == 0 {
			empty.Show()
			ws.list.Hide()
		} else {
			empty.Hide()
			ws.list.Show()
		}
	}))
	ws.nav = newPages(container.NewStack(ws.list, empty), lang.L("wallet.title"))
	return ws
}

// CreateRenderer draws the navigation stack.
func (ws *WalletScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(ws.nav)
}

// Open shows the page of one document on top of the list.
func (ws *WalletScreen) Open(it app.WalletItem) {
	ws.nav.Open(ws.page(it), ws.title(it))
}

// page shows the document's facts and what can be done with it.
func (ws *WalletScreen) page(it app.WalletItem) fyne.CanvasObject {
	sum := wrapped(it.SHA256)
	sum.Wrapping = fyne.TextWrapBreak
	facts := widget.NewForm(
		widget.NewFormItem(lang.L("wallet.evidence"), wrapped(ws.title(it))),
		widget.NewFormItem(lang.L("detail.provider"), wrapped(it.Provider)),
		widget.NewFormItem(lang.L("detail.country"), wrapped(countryName(it.Country))),
		widget.NewFormItem(lang.L("wallet.delivered"), wrapped(formatTime(it.DeliveredAt))),
		widget.NewFormItem(lang.L("wallet.content_type"), wrapped(it.ContentType)),
		widget.NewFormItem(lang.L("wallet.size"), wrapped(formatSize(it.Size, ws.sess.Language.Code()))),
		widget.NewFormItem(lang.L("wallet.sha256"), sum),
		widget.NewFormItem(lang.L("wallet.request"), wrapped(it.RequestID)),
	)
	save := widget.NewButtonWithIcon(lang.L("wallet.save"), theme.DocumentSaveIcon(), func() {
		ws.saver.save(it.FileName(), func(ctx context.Context, w io.Writer) error { return ws.sess.Wallet.Save(ctx, it, w) },
			func(name string) (string, string) {
				return lang.L("wallet.saved_title"), lang.L("wallet.saved", map[string]any{"Name": name})
			})
	})
	save.Importance = widget.HighImportance
	open := widget.NewButtonWithIcon(lang.L("wallet.open_request"), theme.DocumentIcon(), func() {
		ws.openRequest(it.RequestID)
	})
	body := container.NewVBox(wrapped(lang.L("wallet.detail_body")), facts, container.NewHBox(save, open))
	return container.NewVScroll(container.NewPadded(body))
}

// title names the document's evidence type in the user's language.
func (ws *WalletScreen) title(it app.WalletItem) string {
	if t := it.Title(ws.sess.Language.Code()); t != "" {
		return t
	}
	return lang.L("request.evidence")
}

// newWalletCard is the list's card: the evidence, who issued it, and when
// it came in what form.
func newWalletCard() fyne.CanvasObject {
	meta := widget.NewLabel("")
	meta.Truncation = fyne.TextTruncateEllipsis
	meta.SizeName = theme.SizeNameCaptionText
	return widget.NewCard("", "", meta)
}

func (ws *WalletScreen) setCard(card *widget.Card, it app.WalletItem) {
	card.SetTitle(ws.title(it))
	card.SetSubTitle(it.Provider + " · " + countryName(it.Country))
	card.Content.(*widget.Label).SetText(formatTime(it.DeliveredAt) + " · " + formatSize(it.Size, ws.sess.Language.Code()) + " · " + it.ContentType)
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
