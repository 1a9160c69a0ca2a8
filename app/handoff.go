package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // screenshots and photos of a QR code
	_ "image/png"
	"io"
	"log/slog"
	"strings"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode"
	qrwriter "github.com/skip2/go-qrcode"

	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// HandoffAPI is what the app needs of the exchange service to take over a
// request started elsewhere; *client.Client satisfies it.
type HandoffAPI interface {
	Redeem(ctx context.Context, in api.Redeem) (*api.Request, error)
	CreateHandoff(ctx context.Context, in api.NewHandoff) (*api.Handoff, error)
}

// ErrNoQRCode is returned for an image in which no QR code can be read.
var ErrNoQRCode = errors.New("no QR code could be read in this image; open a sharper or larger picture, or type the code shown under it")

var (
	errNotPicture = errors.New("the file is not a PNG or JPEG picture")
	errNotHandoff = errors.New("the QR code in this image is not a Vienreiz handoff link")
)

// maxQRImage bounds the image file the app reads a QR code from.
const maxQRImage = 32 << 20

// Handoff redeems the handoff links and codes of the portal (or another
// device): each starts its request for the person signed in here.
type Handoff struct {
	api HandoffAPI
	log *slog.Logger
	// account, when set (UseAccount), signs a signed-out device in with
	// a pairing code before anything else is tried.
	account *Account
	// mandate, when set, is the mandate new requests are made under
	// (Acting.MandateID): a handoff starts its request for whom the
	// person acts for, as a request started here does.
	mandate func() string
}

// NewHandoff returns the handoff use cases.
func NewHandoff(a HandoffAPI, log *slog.Logger) *Handoff { return &Handoff{api: a, log: log} }

// Pairing is a one-time handoff that opens a request on another device,
// with its link drawn as a QR code.
type Pairing struct {
	api.Handoff
	// QR is a PNG of the QR code holding the handoff's link.
	QR []byte
}

// Pair makes the pairing of request id: the owner's phone (or, from the
// desk, the citizen's) scans the QR code or types the code, and opens the
// same request there.
func (h *Handoff) Pair(ctx context.Context, id string) (*Pairing, error) {
	out, err := h.api.CreateHandoff(ctx, api.NewHandoff{RequestID: id})
	if err != nil {
		return nil, err
	}
	return pairingOf(out)
}

// pairingOf draws h's link as a QR code.
func pairingOf(h *api.Handoff) (*Pairing, error) {
	png, err := qrwriter.Encode(h.Link, qrwriter.Medium, -8) // whole-pixel modules read best
	if err != nil {
		return nil, err
	}
	return &Pairing{Handoff: *h, QR: png}, nil
}

// RedeemCode redeems a typed short code.
func (h *Handoff) RedeemCode(ctx context.Context, code string) (*api.Request, error) {
	return h.redeem(ctx, api.Redeem{Code: code})
}

// RedeemLink redeems a handoff link, as a QR code or a tapped link holds it.
func (h *Handoff) RedeemLink(ctx context.Context, link string) (*api.Request, error) {
	return h.redeem(ctx, api.Redeem{Link: link})
}

// redeem redeems in for the person signed in here. Signed out, a pairing
// code signs this device in first: the result is then the request the
// pairing was made from (only its ID), or nil for a plain pairing; any
// other code is refused wrapping ErrNotPairing (sign in first).
func (h *Handoff) redeem(ctx context.Context, in api.Redeem) (*api.Request, error) {
	if h.account != nil && !h.account.SignedIn() {
		g, err := h.account.PairDevice(ctx, api.DevicePairing{Link: in.Link, Code: in.Code, Device: deviceName()})
		switch {
		case err != nil:
			h.log.Info("pairing refused", "err", err)
			return nil, err
		case g.RequestID == "":
			return nil, nil
		}
		return &api.Request{ID: g.RequestID}, nil
	}
	if h.mandate != nil {
		in.MandateID = h.mandate()
	}
	req, err := h.api.Redeem(ctx, in)
	if err != nil {
		h.log.Info("handoff refused", "err", err)
		return nil, err
	}
	return req, nil
}

// HandoffProblem turns a refused handoff into a Problem whose sentence
// says what to do; other errors get ProblemOf's.
func HandoffProblem(err error) Problem {
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.Code {
		case api.CodeHandoffInvalid, api.CodeHandoffExpired, api.CodeHandoffUsed, api.CodeHandoffOtherPerson,
			api.CodeHandoffNeedsSignIn, api.CodeHandoffSignsIn, api.CodeHandoffKeyChanged:
			return Problem{Code: apiErr.Code, Text: lang.L(strings.Replace(apiErr.Code, "handoff_", "handoff.", 1))}
		case api.CodeTooManyRequests: // codes that do not exist, tried from one address
			return Problem{Code: "handoff_too_many", Text: lang.L("handoff.too_many")}
		case api.CodeEvidenceForCompanies, api.CodeEvidenceForPersons: // nothing was started: the code stays usable
			p := ProblemOf(err)
			p.Text += " " + lang.L("handoff.again")
			return p
		}
	}
	for _, e := range []struct {
		err error
		key string
	}{{ErrNoQRCode, "no_qr"}, {errNotPicture, "not_picture"}, {errNotHandoff, "not_handoff"}, {ErrNotPairing, "needs_sign_in"}} {
		if errors.Is(err, e.err) {
			return Problem{Code: "handoff_" + e.key, Text: lang.L("handoff." + e.key)}
		}
	}
	return ProblemOf(err)
}

// RedeemImage reads the QR code in an image (PNG or JPEG: a screenshot of
// the portal, a photo) and redeems its link.
func (h *Handoff) RedeemImage(ctx context.Context, r io.Reader) (*api.Request, error) {
	link, err := HandoffInImage(r)
	if err != nil {
		return nil, err
	}
	return h.RedeemLink(ctx, link)
}

// HandoffInImage returns the handoff link of the QR code in an image.
func HandoffInImage(r io.Reader) (string, error) {
	link, err := ReadQR(r)
	if err != nil {
		return "", err
	}
	if l, err := ParseLink(link); err != nil || l.Screen != ScreenHandoff {
		return "", errNotHandoff
	}
	return link, nil
}

// ReadQR returns the text of the QR code in a PNG or JPEG image.
func ReadQR(r io.Reader) (string, error) {
	img, _, err := image.Decode(io.LimitReader(r, maxQRImage))
	if err != nil {
		return "", fmt.Errorf("%w: %w", errNotPicture, err)
	}
	// gozxing's finder now and then takes data modules for a finder
	// pattern; its multi-code finder, or the picture turned a quarter,
	// reads what the first attempt missed.
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	for _, attempt := range []func() (string, error){
		func() (string, error) { return decodeQR(img, hints, false) },
		func() (string, error) { return decodeQR(img, hints, true) },
		func() (string, error) { return decodeQR(quarterTurn(img), hints, false) },
	} {
		if text, err := attempt(); err == nil {
			return text, nil
		}
	}
	return "", ErrNoQRCode
}

// decodeQR reads one QR code in img, with the single or the multi reader.
func decodeQR(img image.Image, hints map[gozxing.DecodeHintType]any, multi bool) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	if multi {
		results, err := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, hints)
		if err != nil || len(results) == 0 {
			return "", ErrNoQRCode
		}
		return results[0].GetText(), nil
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// quarterTurn returns img turned 90° clockwise.
func quarterTurn(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Set(b.Max.Y-1-y, x-b.Min.X, img.At(x, y))
		}
	}
	return out
}
