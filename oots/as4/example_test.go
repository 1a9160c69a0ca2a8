package as4_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
)

// Example wires a Sender and a Receiver the way the exchange service does:
// SQLite for the outbox and the duplicate store, the wss security layer,
// and Resume at start-up for what a crash left in the outbox.
func Example() {
	ctx := context.Background()
	var (
		cfg   *pmode.Config    // from pmode's loader or the Domibus importer
		me    keys.Identity    // from keys (PKCS#12 / JKS)
		trust *keys.TrustStore // partner CAs and certificates
	)
	if cfg == nil {
		return // this example only shows the wiring
	}
	dir := "/var/lib/vienreiz/as4"
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "as4.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	sender := &as4.Sender{Config: cfg, Identity: me, Trust: trust, Outbox: store, Dir: filepath.Join(dir, "outbox")}
	go sender.Run(ctx, time.Minute) // sends what is pending now and after a crash

	receiver := &as4.Receiver{
		Config: cfg, Identity: me, Trust: trust, Duplicates: store, SpoolDir: os.TempDir(),
		Deliver: func(ctx context.Context, d *as4.Delivery) error {
			for _, p := range d.Payloads {
				rc, err := p.Open()
				if err != nil {
					return err
				}
				n, err := io.Copy(io.Discard, rc) // store the evidence here
				rc.Close()
				if err != nil {
					return err
				}
				fmt.Println(d.Message.Action, p.MimeType, n)
			}
			return nil
		},
	}
	go as4.NewServer(":8443", receiver, as4.TLSConfig(nil, nil)).ListenAndServeTLS("ap.crt", "ap.key")

	res, err := sender.Send(ctx, &as4.Submission{
		To: "DE", Service: as4.OOTSService, Action: as4.ActionQueryRequest,
		Properties: []as4.Property{
			{Name: as4.PropOriginalSender, Type: "urn:cef.eu:names:identifier:EAS:0218", Value: "LV40003245752"},
			{Name: as4.PropFinalRecipient, Type: "urn:cef.eu:names:identifier:EAS:9930", Value: "DE73524311"},
		},
		Payloads: []as4.Payload{{MimeType: as4.MimeEbRS, Open: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader("<query:QueryRequest/>")), nil
		}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("receipt", res.Receipt.MessageID)
}
