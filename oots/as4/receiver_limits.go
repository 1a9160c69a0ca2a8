package as4

import (
	"crypto/x509"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/wss"
)

// The Receiver reads a message in two steps so that strangers cannot fill
// its disk: the SOAP envelope first (at most Limits.Envelope bytes, in
// memory), which must name a known sender, match a P-Mode and, when the
// P-Mode signs, carry a valid signature of a trusted certificate over
// eb:Messaging and the Body; only then are the attachments spooled, at
// most the P-Mode's size and with a few uploads per sender at a time.

// envelopeVerifier is the optional step of a Security that checks the
// signature of the envelope before the attachments are read. It returns
// the signer, the signed references (for the receipt) and the rest of the
// check, verifyParts, to call with the decrypted parts: both together
// check what Verify does, each signature and digest once.
type envelopeVerifier interface {
	VerifyEnvelope(env *etree.Document, trust *keys.TrustStore, now time.Time) (signer *x509.Certificate, refs []*etree.Element, verifyParts partsVerifier, err error)
}

// partsVerifier completes an envelopeVerifier's check with the parts and
// returns what Security.Verify does.
type partsVerifier func(parts []Part) (*x509.Certificate, []*etree.Element, error)

// VerifyEnvelope calls wss.VerifyEnvelope, and its VerifyParts after.
func (wssSecurity) VerifyEnvelope(env *etree.Document, trust *keys.TrustStore, now time.Time) (*x509.Certificate, []*etree.Element, partsVerifier, error) {
	s, err := wss.VerifyEnvelope(env, trust, now)
	if err != nil {
		return nil, nil, nil, mapWSS(err)
	}
	return s.Cert, s.References, func(parts []Part) (*x509.Certificate, []*etree.Element, error) {
		v, err := s.VerifyParts(toWSS(parts))
		if err != nil {
			return nil, nil, mapWSS(err)
		}
		return v.Cert, v.References, nil
	}, nil
}

// admit authenticates the envelope of a message whose P-Mode signs and
// takes one of its sender's upload slots unless the message is small;
// release gives the slot back.
func (r *Receiver) admit(in *inbound) (release func(), err error) {
	id := in.user.MessageID
	if v, ok := r.security().(envelopeVerifier); ok && in.pm.Security.Sign {
		cert, refs, verifyParts, err := v.VerifyEnvelope(in.doc, r.Trust, r.verifyAt())
		if err != nil {
			return nil, AsError(err, id, ErrFailedAuthentication)
		}
		if in.from.Cert != nil && !cert.Equal(in.from.Cert) {
			return nil, ErrFailedAuthentication.Withf(id, "signed by %q, which is not the certificate of party %q", cert.Subject, in.from.Name)
		}
		in.refs, in.verifyParts = refs, verifyParts
	}
	if in.declared >= 0 && in.declared <= DefaultMemLimit {
		// The whole message stays in memory (the spool's MemLimit), so it
		// cannot fill the disk and needs no slot. Holding one through its
		// crypto and storage answered a partner's fifth concurrent query
		// 503, which waits for the sender's next retry (issue 16 item 2).
		return func() {}, nil
	}
	slots := r.Uploads
	if slots == nil {
		slots = &r.ownUploads
	}
	release, ok := slots.acquire(in.from.Name, r.Limits.withDefaults().PeerUploads)
	if !ok {
		return nil, &peerBusyError{party: in.from.Name}
	}
	return release, nil
}

// readAttachments spools the attachments of in, refusing a message whose
// attachments exceed what its P-Mode allows with EBMS:0010.
func (r *Receiver) readAttachments(msg *mimeMessage, in *inbound, spool *Spool) ([]Part, error) {
	limit := r.payloadLimit(in.pm)
	parts, err := msg.attachments(spool, wireAllowance(limit))
	if errors.Is(err, errTooLarge) {
		return nil, ErrProcessingModeMismatch.Withf(in.user.MessageID,
			"the payloads exceed the %d bytes P-Mode %q allows for a message", limit, in.pm.ID)
	}
	if err != nil {
		return nil, AsError(err, in.user.MessageID, ErrMimeInconsistency)
	}
	return parts, nil
}

// payloadLimit is the size the payloads of one message of pm may have.
func (r *Receiver) payloadLimit(pm *pmode.PMode) int64 {
	if pm.MaxPayloadSize > 0 {
		return pm.MaxPayloadSize
	}
	return r.Limits.withDefaults().Payloads
}

// wireAllowance is what payloads of n bytes may take as received: gzip
// of incompressible data and AES-GCM add a little to each.
func wireAllowance(n int64) int64 { return n + n/64 + 1<<20 }

// peerBusyError answers a sender that already uploads as many messages as
// Limits.PeerUploads allows.
type peerBusyError struct{ party string }

func (e *peerBusyError) Error() string {
	return fmt.Sprintf("party %s already uploads the messages it may at once; retry later", e.party)
}

// UploadSlots counts the uploads in progress per sender party. The zero
// value is ready. The receivers of one party's access points share one
// (Receiver.Uploads), so that a sender's limit holds across them.
type UploadSlots struct {
	mu sync.Mutex
	n  map[string]int
}

// acquire takes an upload slot of party unless max are taken.
func (p *UploadSlots) acquire(party string, max int) (release func(), ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n[party] >= max {
		return nil, false
	}
	if p.n == nil {
		p.n = map[string]int{}
	}
	p.n[party]++
	return sync.OnceFunc(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.n[party]--; p.n[party] == 0 {
			delete(p.n, party)
		}
	}), true
}
