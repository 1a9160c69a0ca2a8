package provider

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// BenchmarkRoundTrip is one full provider round trip on loopback: the
// requester sends a first request over AS4, the provider reads it, stores
// the preview and sends EDM:ERR:0002 back over AS4, the requester receives
// it. The baseline, timed in the same loop, is one bare AS4 one-way
// message of the same request to a receiver that only acknowledges;
// "x-oneway" is the ratio (about 2 is the floor: two AS4 messages).
func BenchmarkRoundTrip(b *testing.B) {
	w := newWorld(b)
	et := w.offer("LV", "birth")

	// Baseline: the same requester sending to a plain receiver.
	base := httptest.NewServer(&as4.Receiver{
		Config: w.setup.Provider.Config, Identity: w.setup.Provider.Identity, Trust: w.setup.Provider.Trust,
		Duplicates: as4.NewMemStore(), Deliver: func(context.Context, *as4.Delivery) error { return nil },
		SpoolDir: b.TempDir(), Logger: quiet(),
	})
	defer base.Close()
	cfg := *w.setup.Requester.Config
	cfg.Parties = map[string]*pmode.Party{}
	for n, p := range w.setup.Requester.Config.Parties {
		cp := *p
		if n == "DEMO" {
			cp.Endpoints = []string{base.URL + "/as4"}
		}
		cfg.Parties[n] = &cp
	}
	lv := w.setup.Requester
	baseSender := &as4.Sender{
		Config: &cfg, Identity: lv.Identity, Trust: lv.Trust, Outbox: as4.NewMemStore(),
		Dir: b.TempDir(), Logger: quiet(),
	}

	var full, oneway time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := w.request(et, "application/pdf")
		body, err := req.Marshal(edm.V1)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if _, err := baseSender.Send(context.Background(), &as4.Submission{
			ConversationID: req.ExchangeID, To: "DEMO", Service: as4.OOTSService, Action: as4.ActionQueryRequest,
			Payloads: []as4.Payload{{MimeType: as4.MimeEbRS, Open: bytesOpener(body)}},
		}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		w.send(body, req.ExchangeID)
		if x, ok := w.next().edm.(*edm.ExceptionResponse); !ok || !x.PreviewRequired() {
			b.Fatal("answer is not preview required")
		}
		oneway += t1.Sub(t0)
		full += time.Since(t1)
	}
	b.StopTimer()
	b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "roundtrip-ns")
	b.ReportMetric(float64(oneway.Nanoseconds())/float64(b.N), "oneway-ns")
	b.ReportMetric(float64(full)/float64(oneway), "x-oneway")
}
