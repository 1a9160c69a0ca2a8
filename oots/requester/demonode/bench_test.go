package demonode_test

import (
	"testing"

	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/provider"
)

// BenchmarkExchange is the full demo exchange without think time: Send →
// preview required → approve on the preview space → Send again →
// evidence delivered to OnAnswer. Goal: under 300 ms per exchange on
// loopback (reported as ms/exchange). The baseline, BenchmarkSendAnswer,
// is one request and its answer: the ratio shows what the preview round
// trip costs over a single AS4 exchange.
func BenchmarkExchange(b *testing.B) {
	w := newWorld(b)
	base := w.query("birth", "application/xml")
	b.ResetTimer()
	for b.Loop() {
		q := base
		q.ExchangeID = edm.NewUUID()
		loc := w.previewRequired(q)
		w.decide(loc, q.Subject.Identifier, provider.DecisionApprove)
		q.PreviewLocation = loc
		w.send(q)
		if _, ok := w.next().Message.(*edm.QueryResponse); !ok {
			b.Fatal("no evidence delivered")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/exchange")
}

// BenchmarkSendAnswer is the baseline: one request, acknowledged, and its
// EDM:ERR:0002 answer delivered.
func BenchmarkSendAnswer(b *testing.B) {
	w := newWorld(b)
	base := w.query("birth", "application/xml")
	b.ResetTimer()
	for b.Loop() {
		q := base
		q.ExchangeID = edm.NewUUID()
		w.previewRequired(q)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/exchange")
}
