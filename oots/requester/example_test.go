package requester_test

import (
	"context"
	"log"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/requester"
)

// Example wires the Latvian requester of the demo setup: its two AS4
// listeners, the resend loop, and a callback that sees each answer.
// oots/requester/demonode does this on free loopback ports together with
// the demo member state.
func Example() {
	setup, err := demo.New(demo.Options{})
	if err != nil {
		log.Fatal(err)
	}
	lv := setup.Requester
	r, err := requester.New(context.Background(), requester.Config{
		PModes: lv.Config, Identity: lv.Identity, Trust: lv.Trust, Dir: "/var/lib/vienreiz/requester",
		OnAnswer: func(_ context.Context, a requester.Answer) error {
			log.Printf("exchange %s: %s with %d attachments", a.ExchangeID, a.Action, len(a.Attachments))
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for i, addr := range []string{"127.0.0.1:8481", "127.0.0.1:8482"} {
		srv := as4.NewServer(addr, r.AS4Handlers()[i], nil)
		go func() { log.Print(srv.ListenAndServe()) }()
	}
	go r.Run(context.Background())
	// Then, per exchange: r.Send(ctx, q), and after the citizen's approval
	// r.Send(ctx, q) again with q.PreviewLocation set.
}
