package as4

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// process matches the parts to eb:PayloadInfo, decompresses them and
// delivers the message.
func (r *Receiver) process(ctx context.Context, in *inbound, spool *Spool) error {
	u := in.user
	lim := r.Limits.withDefaults()
	lim.Decompressed = min(lim.Decompressed, r.payloadLimit(in.pm))
	byCID := make(map[string]Part, len(in.parts))
	for _, p := range in.parts {
		byCID[p.ContentID] = p
	}
	d := &Delivery{Message: u, PMode: in.pm, From: in.from, Signer: in.signer}
	for _, info := range u.Parts {
		cid := info.ContentID()
		p, ok := byCID[cid]
		if !ok {
			return ErrMimeInconsistency.Withf(u.MessageID, "eb:PartInfo %s has no MIME part", info.Href)
		}
		delete(byCID, cid)
		mimeType := info.Property(PartPropMimeType)
		if mimeType == "" {
			mimeType = p.ContentType
		}
		switch ct := info.Property(PartPropCompression); ct {
		case "":
		case MimeGzip:
			var err error
			if p, err = Decompress(p, mimeType, lim.Decompressed, spool); err != nil {
				return AsError(err, u.MessageID, ErrDecompressionFailure)
			}
		default:
			return ErrValueNotRecognized.Withf(u.MessageID, "part %s: CompressionType %q not recognized (only %s)", cid, ct, MimeGzip)
		}
		d.Payloads = append(d.Payloads, Payload{ContentID: cid, MimeType: mimeType, Properties: info.Properties, Open: p.Open})
	}
	for cid := range byCID {
		return ErrMimeInconsistency.Withf(u.MessageID, "MIME part %s is not listed in eb:PayloadInfo", cid)
	}
	if r.Deliver == nil {
		return ErrDeliveryFailure.Withf(u.MessageID, "no delivery callback configured")
	}
	if err := r.Deliver(ctx, d); err != nil {
		return ErrDeliveryFailure.With(u.MessageID, fmt.Errorf("delivery: %w", err))
	}
	r.logger().Info("as4 message delivered", "message", u.MessageID, "from", in.from.Name, "action", u.Action, "pmode", in.pm.ID)
	return nil
}

// receipt builds the eb:Receipt for in: non-repudiation information with
// the signed references when the message was signed and the P-Mode asks
// for it, a copy of the eb:UserMessage otherwise; signed when the P-Mode
// signs. rec names the receipt: an empty rec gets a new MessageId and the
// current time; a filled one (of an earlier copy of in) rebuilds that
// receipt. A nil rec is a new receipt not recorded anywhere.
func (r *Receiver) receipt(in *inbound, rec *receiptRecord) ([]byte, error) {
	if rec == nil {
		rec = &receiptRecord{}
	}
	if rec.id == "" {
		id, err := newID(r.Rand, r.Config.Self)
		if err != nil {
			return nil, ErrOther.With(in.user.MessageID, err)
		}
		rec.id, rec.at = id, r.now()
	}
	rc := &Receipt{}
	if in.pm.Security.NonRepudiation && len(in.refs) > 0 {
		rc.References = in.refs
	} else if um := userMessageElement(in.doc); um != nil {
		rc.UserMessage = detachedCopy(um, NSEbMS)
	}
	sig := &SignalMessage{MessageID: rec.id, RefToMessageID: in.user.MessageID, Timestamp: rec.at, Receipt: rc}
	doc := NewEnvelope(&Messaging{Signals: []*SignalMessage{sig}})
	if in.pm.Security.Sign {
		err := r.security().Sign(doc, nil, r.Identity, in.pm.Security)
		yieldAfterRSA()
		if err != nil {
			return nil, ErrOther.With(in.user.MessageID, fmt.Errorf("signing the receipt: %w", err))
		}
	}
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, ErrOther.With(in.user.MessageID, err)
	}
	return b, nil
}

func userMessageElement(doc *etree.Document) *etree.Element {
	m, err := MessagingElement(doc)
	if err != nil {
		return nil
	}
	for _, c := range m.ChildElements() {
		if c.Tag == "UserMessage" && c.NamespaceURI() == NSEbMS {
			return c
		}
	}
	return nil
}

// errorSignal builds the eb:Error signal for e, signed as our receipts are
// when pm (the message's P-Mode, nil when it was not found) signs. An error
// before any P-Mode matched goes unsigned: we do not know the peer.
func (r *Receiver) errorSignal(e *Error, pm *pmode.PMode) ([]byte, error) {
	id, err := newID(r.Rand, r.Config.Self)
	if err != nil {
		return nil, err
	}
	sig := &SignalMessage{MessageID: id, RefToMessageID: e.RefToMessageInError, Timestamp: r.now(), Errors: []*Error{e}}
	doc := NewEnvelope(&Messaging{Signals: []*SignalMessage{sig}})
	if pm != nil && pm.Security.Sign {
		if err := r.security().Sign(doc, nil, r.Identity, pm.Security); err != nil {
			return nil, fmt.Errorf("signing the error signal: %w", err)
		}
	}
	return doc.WriteToBytes()
}

// receiptRecord is what the duplicate store keeps of a receipt we sent: its
// MessageId and timestamp, under 100 bytes instead of the ~5 KB signed
// receipt. A duplicate passes the same checks as the first copy (signer,
// signature, digests) before it is answered, so its own signed references
// rebuild the receipt. Keeping the receipt we issued is the sender's
// evidence, not ours.
type receiptRecord struct {
	id string
	at time.Time
}

// receiptRecordPrefix marks a stored receipt record; earlier rows hold a
// whole receipt (an XML envelope) and are sent again as they are.
const receiptRecordPrefix = "receipt "

func (rec *receiptRecord) bytes() []byte {
	return []byte(receiptRecordPrefix + rec.id + " " + rec.at.UTC().Format(time.RFC3339Nano))
}

func parseReceiptRecord(b []byte) (receiptRecord, bool) {
	s, ok := strings.CutPrefix(string(b), receiptRecordPrefix)
	if !ok {
		return receiptRecord{}, false
	}
	id, at, ok := strings.Cut(s, " ")
	t, err := time.Parse(time.RFC3339Nano, at)
	if !ok || id == "" || err != nil {
		return receiptRecord{}, false
	}
	return receiptRecord{id: id, at: t}, true
}
