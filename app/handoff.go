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

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/vienreiz/vienreiz/api"
)

// HandoffAPI is what the app needs of the exchange service to take over a
// request started elsewhere; *client.Client satisfies it.
type HandoffAPI interface {
	Redeem(ctx context.Context, in api.Redeem) (*api.Request, error)
}

// ErrNoQRCode is returned for an image in which no QR code can be read.
var ErrNoQRCode = errors.New("no QR code could be read in this image; open a sharper or larger picture, or type the code shown under it")

// maxQRImage bounds the image file the app reads a QR code from.
const maxQRImage = 32 << 20

// Handoff redeems the handoff links and codes of the portal (or another
// device): each starts its request for the person signed in here.
type Handoff struct {
	api HandoffAPI
	log *slog.Logger
}

// NewHandoff returns the handoff use cases.
func NewHandoff(a HandoffAPI, log *slog.Logger) *Handoff { return &Handoff{api: a, log: log} }

// RedeemCode redeems a typed short code.
func (h *Handoff) RedeemCode(ctx context.Context, code string) (*api.Request, error) {
	return h.api.Redeem(ctx, api.Redeem{Code: code})
}

// RedeemLink redeems a handoff link, as a QR code or a tapped link holds it.
func (h *Handoff) RedeemLink(ctx context.Context, link string) (*api.Request, error) {
	return h.api.Redeem(ctx, api.Redeem{Link: link})
}

// RedeemImage reads the QR code in an image (PNG or JPEG: a screenshot of
// the portal, a photo) and redeems its link.
func (h *Handoff) RedeemImage(ctx context.Context, r io.Reader) (*api.Request, error) {
	link, err := ReadQR(r)
	if err != nil {
		return nil, err
	}
	l, err := ParseLink(link)
	if err != nil || l.Screen != ScreenHandoff {
		return nil, fmt.Errorf("the QR code in this image is not a Vienreiz handoff link")
	}
	return h.RedeemLink(ctx, link)
}

// ReadQR returns the text of the QR code in a PNG or JPEG image.
func ReadQR(r io.Reader) (string, error) {
	img, _, err := image.Decode(io.LimitReader(r, maxQRImage))
	if err != nil {
		return "", fmt.Errorf("the file is not a PNG or JPEG picture: %w", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", ErrNoQRCode
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", ErrNoQRCode
	}
	return res.GetText(), nil
}
