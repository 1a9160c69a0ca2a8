package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// WalletAPI is what the wallet needs of the exchange service;
// *client.Client (with a token) satisfies it.
type WalletAPI interface {
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
	Titles      map[string]string
	Provider    string
	Country     string
	DeliveredAt time.Time
	ContentType string
	Size        int64
	SHA256      string
}

// Title is the evidence type's name in language code (e.g. "lv"), else in
// English, else "".
func (it WalletItem) Title(code string) string {
	for _, l := range []string{strings.ToUpper(code), "EN"} {
		if t := it.Titles[l]; t != "" {
			return t
		}
	}
	return ""
}

// FileName suggests a name to save the document under, e.g.
// "evidence-<request id>-0.xml".
func (it WalletItem) FileName() string {
	ext := ".bin"
	if media, _, err := mime.ParseMediaType(it.ContentType); err == nil {
		if known := extension(media); known != "" {
			ext = known
		} else if exts, _ := mime.ExtensionsByType(media); len(exts) > 0 {
			ext = exts[0]
		}
	}
	return fmt.Sprintf("evidence-%s-%d%s", it.RequestID, it.Index, ext)
}

// extension is the usual file extension of common evidence formats, else
// "": the system's MIME table, which FileName falls back to, lists
// several for some of them in no useful order.
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

// WalletItems derives the wallet from requests: every document of every
// delivered request, newest delivery first.
func WalletItems(requests []api.Request) []WalletItem {
	var out []WalletItem
	for _, r := range requests {
		if r.State != "delivered" || len(r.Evidence) == 0 {
			continue
		}
		base := WalletItem{RequestID: r.ID, ServiceID: r.ServiceID, Requirement: r.Requirement, Country: r.Country, DeliveredAt: deliveredAt(r)}
		if r.EvidenceType != nil {
			base.Titles = r.EvidenceType.Title
		}
		if r.Provider != nil {
			base.Provider = r.Provider.Name
		}
		for _, f := range r.Evidence {
			it := base
			it.Index, it.ContentType, it.Size, it.SHA256 = f.Index, f.ContentType, f.Size, f.SHA256
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b WalletItem) int {
		return cmp.Or(b.DeliveredAt.Compare(a.DeliveredAt), cmp.Compare(a.Index, b.Index))
	})
	return out
}

// deliveredAt is when the request's evidence arrived: its last
// evidence_delivered step, else its last change.
func deliveredAt(r api.Request) time.Time {
	for i := len(r.Timeline) - 1; i >= 0; i-- {
		if r.Timeline[i].Event == "evidence_delivered" {
			return r.Timeline[i].At
		}
	}
	return r.UpdatedAt
}

// Wallet is the view model of the wallet screen: the delivered evidence
// documents of the user's requests, and saving a copy of one.
type Wallet struct {
	api WalletAPI
	log *slog.Logger
	// Items holds WalletItem values, newest delivery first.
	Items binding.UntypedList
}

// NewWallet returns an empty wallet over a; Update fills it.
func NewWallet(a WalletAPI, log *slog.Logger) *Wallet {
	return &Wallet{api: a, log: log, Items: binding.NewUntypedList()}
}

// Update rebuilds the wallet from the user's requests (the session calls
// it whenever the requests list is reloaded).
func (w *Wallet) Update(requests []api.Request) {
	list := WalletItems(requests)
	items := make([]any, len(list))
	for i := range list {
		items[i] = list[i]
	}
	fyne.DoAndWait(func() { _ = w.Items.Set(items) })
}

// Holding returns the newest document in the wallet that meets
// requirement, false when there is none: a service that needs it can use
// it instead of asking again.
func (w *Wallet) Holding(requirement string) (WalletItem, bool) {
	items, _ := w.Items.Get()
	for _, v := range items {
		if it, ok := v.(WalletItem); ok && it.Requirement == requirement {
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
