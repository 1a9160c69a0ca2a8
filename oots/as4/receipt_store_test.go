package as4_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// TestDuplicateStoreKeepsNoWholeReceipt: the duplicate store keeps under
// 200 bytes per received message (it kept the ~5 KB signed receipt), and a
// duplicate still gets the same receipt: same MessageId, timestamp and
// signed references, with a signature that verifies, and no second
// delivery.
func TestDuplicateStoreKeepsNoWholeReceipt(t *testing.T) {
	w := newWorld(t, 1)
	url := w.servers[0].URL + "/as4"
	const messages = 10
	var firstType string
	var firstBody, firstReceipt []byte
	for i := range messages {
		ct, body := w.craft(userMessage(fmt.Sprintf("m%d@lv", i), "p@x", false), []as4.Part{as4.BytesPart("p@x", as4.MimeEbRS, []byte("<q/>"))},
			craftOpts{sign: true, encrypt: true, signer: w.lvID})
		status, m, raw := post(t, url, ct, body)
		if status != http.StatusOK || m.Signals[0].Receipt == nil {
			t.Fatalf("message %d: %d %s", i, status, raw)
		}
		if i == 0 {
			firstType, firstBody, firstReceipt = ct, body, raw
		}
	}
	if len(firstReceipt) < 2000 {
		t.Fatalf("a signed receipt of %d bytes; the measure below compares with ~5 KB", len(firstReceipt))
	}

	db, err := sql.Open("sqlite", w.dupPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, stored int
	if err := db.QueryRow(`SELECT count(*), sum(length(message_id) + length(receipt)) FROM as4_received`).Scan(&rows, &stored); err != nil {
		t.Fatal(err)
	}
	if rows != messages || stored/rows > 200 {
		t.Fatalf("%d rows keep %d bytes per message (message id + receipt record); want %d rows, ≤ 200 bytes (the signed receipt is %d)",
			rows, stored/max(rows, 1), messages, len(firstReceipt))
	}

	t.Logf("duplicate store: %d bytes per message; the signed receipt is %d bytes", stored/rows, len(firstReceipt))
	status, again, raw := post(t, url, firstType, firstBody)
	if status != http.StatusOK || again.Signals[0].Receipt == nil {
		t.Fatalf("duplicate answered %d %s", status, raw)
	}
	dup := parseReceipt(t, raw)
	if !sameReceipt(t, firstReceipt, raw) || dup.sig.RefToMessageID != "m0@lv" || len(dup.refs) == 0 {
		t.Fatalf("duplicate's receipt differs from the first:\n%s\n%s", firstReceipt, raw)
	}
	cert, _, err := as4.WSS().Verify(dup.doc, nil, w.trust, time.Now())
	if err != nil || !cert.Equal(w.deID.Cert) {
		t.Fatalf("duplicate's receipt signature: %v (signer %v)", err, cert)
	}
	if n := len(w.deliveries()); n != messages {
		t.Fatalf("%d deliveries for %d messages and one duplicate", n, messages)
	}
}

type parsedReceipt struct {
	doc  *etree.Document
	sig  *as4.SignalMessage
	refs []string // each ds:Reference as XML
}

func parseReceipt(t *testing.T, raw []byte) parsedReceipt {
	t.Helper()
	doc, err := xmlsafe.ParseBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	m, err := as4.ParseEnvelope(doc)
	if err != nil {
		t.Fatal(err)
	}
	p := parsedReceipt{doc: doc, sig: m.Signals[0]}
	for _, r := range p.sig.Receipt.References {
		d := etree.NewDocument()
		d.SetRoot(r.Copy())
		s, _ := d.WriteToString()
		p.refs = append(p.refs, s)
	}
	return p
}

// sameReceipt reports whether two signed receipts say the same: MessageId,
// timestamp, the message they acknowledge and its signed references (the
// signatures' random ids differ).
func sameReceipt(t *testing.T, a, b []byte) bool {
	t.Helper()
	pa, pb := parseReceipt(t, a), parseReceipt(t, b)
	return pa.sig.Receipt != nil && pb.sig.Receipt != nil &&
		pa.sig.MessageID == pb.sig.MessageID && pa.sig.Timestamp.Equal(pb.sig.Timestamp) &&
		pa.sig.RefToMessageID == pb.sig.RefToMessageID && fmt.Sprint(pa.refs) == fmt.Sprint(pb.refs)
}
