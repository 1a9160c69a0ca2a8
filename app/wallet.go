package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/client"
)

// WalletAPI is what the wallet needs of the exchange service;
// *client.Client (with a token) satisfies it.
type WalletAPI interface {
	Documents(ctx context.Context) ([]api.Document, error)
	Evidence(ctx context.Context, id string, n int) (*client.Document, error)
}

// ErrDigestMismatch is returned when a downloaded evidence document is not
// the one delivered: its size or SHA-256 differs from the request's record.
var ErrDigestMismatch = errors.New("the downloaded document differs from the delivered one")

// WalletItem is one delivered evidence document in the wallet (P4, "my
// evidence").
type WalletItem struct {
	RequestID string
	ServiceID string
	// Requirement is the OOTS requirement the document meets: any service
	// needing it can use the document (once-only).
	Requirement string
	// Index is the document's number within its request (api.EvidenceFile.Index).
	Index int
	// Titles names the evidence type by upper-case language code (EN, LV).
	Titles map[string]string
	// Need is the service's name of the evidence it needs, by language,
	// where known: it names the document in a language the provider did
	// not name it in (Name).
	Need     catalogue.Text
	Provider string // in English
	// ProviderNames names the provider by upper-case language code.
	ProviderNames map[string]string
	Country       string
	DeliveredAt   time.Time
	ContentType   string
	Size          int64
	SHA256        string
	// For is whom the document is about when the user asked for it under
	// their mandate (their identifier; ForName their name), "" for the
	// user's own.
	For, ForName string
}

// Title is the evidence type's name in language code (e.g. "lv"), else in
// English, else "".
func (it WalletItem) Title(code string) string { return ProviderName(it.Titles, code) }

// Name is the document's name in language code as the app shows it
// (EvidenceName), "" when nothing names it.
func (it WalletItem) Name(code string) string { return EvidenceName(it.Titles, it.Need, code) }

// Issuer names who issued the document in language code where the
// directory gives that name, else in English.
func (it WalletItem) Issuer(code string) string {
	if n := it.ProviderNames[strings.ToUpper(code)]; n != "" {
		return n
	}
	return it.Provider
}

// FileName suggests a name to save the document under, after what it is
// in language code (Name) and when it came, e.g. "Izziņa no dzimšanas reģistra
// 2026-03-01.pdf"; a request's second document gets " (2)".
func (it WalletItem) FileName(code string) string {
	ext := ".bin"
	if media, _, err := mime.ParseMediaType(it.ContentType); err == nil {
		if known := extension(media); known != "" {
			ext = known
		} else if exts, _ := mime.ExtensionsByType(media); len(exts) > 0 {
			ext = exts[0]
		}
	}
	title := it.Name(code)
	if title == "" {
		title = lang.L("request.evidence")
	}
	name := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '-'
		}
		return r
	}, title)
	if len(name) > 100 {
		name = strings.ToValidUTF8(name[:100], "")
	}
	if !it.DeliveredAt.IsZero() {
		name += " " + it.DeliveredAt.Local().Format(time.DateOnly)
	}
	if it.Index > 0 {
		name += fmt.Sprintf(" (%d)", it.Index+1)
	}
	return strings.TrimSpace(name) + ext
}

// extension is the usual file extension of common evidence formats, else
// "": the system's MIME table, which FileName falls back to, lists
// several for some of them in no useful order.
// DocumentKind names the kind of a document of content type for a
// person ("PDF document", "structured data (XML)"), translated.
func DocumentKind(contentType string) string {
	media, _, _ := mime.ParseMediaType(contentType)
	switch ext := extension(media); ext {
	case ".pdf", ".xml", ".json", ".txt", ".png", ".jpg":
		return lang.L("document.kind" + strings.ReplaceAll(ext, ".", "_"))
	}
	return lang.L("document.kind_other")
}

func extension(media string) string {
	switch media {
	case "application/xml", "text/xml":
		return ".xml"
	case "application/pdf":
		return ".pdf"
	case "application/json":
		return ".json"
	case "text/plain":
		return ".txt"
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	}
	return ""
}

// EvidenceItem is delivered evidence document f of req as a WalletItem,
// for opening it as the wallet does (a clerk's desk opens the documents
// its institution received).
func EvidenceItem(req *api.Request, f api.EvidenceFile) WalletItem {
	it := WalletItem{RequestID: req.ID, ServiceID: req.ServiceID, Requirement: req.Requirement, Index: f.Index, Country: req.Country,
		ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256}
	if req.EvidenceType != nil {
		it.Titles = req.EvidenceType.Title
	}
	if req.Provider != nil {
		it.Provider, it.ProviderNames = req.Provider.Name, req.Provider.Names
	}
	return it
}

// itemsOf turns the service's list of the user's documents (newest
// first) into wallet items.
func itemsOf(docs []api.Document) []WalletItem {
	out := make([]WalletItem, 0, len(docs))
	for _, d := range docs {
		out = append(out, WalletItem{
			RequestID: d.RequestID, ServiceID: d.ServiceID, Requirement: d.Requirement, Index: d.File.Index,
			Titles: d.Title, Provider: d.Provider, ProviderNames: d.ProviderNames, Country: d.Country, DeliveredAt: d.DeliveredAt,
			ContentType: d.File.ContentType, Size: d.File.Size, SHA256: d.File.SHA256, For: d.For, ForName: d.ForName,
		})
	}
	return out
}

// Wallet is the view model of the wallet screen: the delivered evidence
// documents of the user's requests, and saving a copy of one.
type Wallet struct {
	api WalletAPI
	log *slog.Logger
	// Items holds WalletItem values, newest delivery first.
	Items binding.UntypedList
	// Loads counts the times Items was set: its listeners hear every
	// load, where those of Items hear only a change in the number of
	// documents.
	Loads binding.Int
	// Opened holds the copies handed to the system's viewer (Cache).
	Opened *OpenedDocuments
	// mandateRefused, when set, hears that a download was refused for a
	// mandate that ended (the session reloads what it gave).
	mandateRefused func()
}

// NewWallet returns an empty wallet over a; Update fills it.
func NewWallet(a WalletAPI, log *slog.Logger) *Wallet {
	return &Wallet{api: a, log: log, Items: binding.NewUntypedList(), Loads: binding.NewInt(), Opened: NewOpenedDocuments("", log)}
}

// Refresh reloads the wallet from the service's list of the user's
// documents (GET /v1/evidence); the session calls it whenever the
// requests list is reloaded. On failure the wallet keeps what it showed.
func (w *Wallet) Refresh(ctx context.Context) error {
	docs, err := w.api.Documents(ctx)
	if err != nil {
		w.log.Warn("loading the wallet failed", "err", err)
		return err
	}
	list := itemsOf(docs)
	items := make([]any, len(list))
	for i := range list {
		items[i] = list[i]
	}
	fyne.DoAndWait(func() { w.set(items) })
	return nil
}

// set makes items the wallet's content; it runs on the main goroutine.
func (w *Wallet) set(items []any) {
	_ = w.Items.Set(items)
	n, _ := w.Loads.Get()
	_ = w.Loads.Set(n + 1)
}

// Holding returns the newest document in the wallet that meets
// requirement and is about subject (WalletItem.For; "" for the user's
// own), false when there is none: a service that needs it can use it
// instead of asking again.
func (w *Wallet) Holding(requirement, subject string) (WalletItem, bool) {
	items, _ := w.Items.Get()
	for _, v := range items {
		if it, ok := v.(WalletItem); ok && it.Requirement == requirement && it.For == subject {
			return it, true // newest first
		}
	}
	return WalletItem{}, false
}

// Save downloads item's document and writes it to dst, checking that its
// size and SHA-256 are those recorded at delivery; on ErrDigestMismatch
// dst has received bytes that must be thrown away.
func (w *Wallet) Save(ctx context.Context, item WalletItem, dst io.Writer) error {
	err := w.save(ctx, item, dst)
	if err != nil {
		w.log.Warn("saving a wallet document failed", "request", item.RequestID, "index", item.Index, "err", err)
	}
	if MandateRefused(err) && w.mandateRefused != nil {
		w.mandateRefused()
	}
	return err
}

func (w *Wallet) save(ctx context.Context, item WalletItem, dst io.Writer) error {
	doc, err := w.api.Evidence(ctx, item.RequestID, item.Index)
	if err != nil {
		return err
	}
	defer doc.Body.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(dst, h), doc.Body)
	if err != nil {
		return fmt.Errorf("evidence %s/%d: %w", item.RequestID, item.Index, err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); n != item.Size || !strings.EqualFold(sum, item.SHA256) {
		return fmt.Errorf("%w: %d bytes with SHA-256 %s, delivered %d bytes with %s", ErrDigestMismatch, n, sum, item.Size, item.SHA256)
	}
	return nil
}

// Cache writes item's document, checked as Save checks it, to a copy
// named name among the opened documents (Opened) and returns its path, for
// the system's viewer. A copy that fails its check is removed.
func (w *Wallet) Cache(ctx context.Context, item WalletItem, name string) (string, error) {
	return w.Opened.Write(name, func(f io.Writer) error { return w.Save(ctx, item, f) })
}
