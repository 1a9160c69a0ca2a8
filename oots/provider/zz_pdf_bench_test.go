package provider

import "testing"

func BenchmarkZZPDF(b *testing.B) {
	b.ReportAllocs()
	var n int
	for b.Loop() {
		p, _ := pdfDocument("Dzimšanas apliecība (x)", speech{}, []Field{{Name: "Family name", Value: "Bērziņš", Source: "x"}, {Name: "Given name", Value: "Jānis"}})
		n = len(p)
	}
	b.ReportMetric(float64(n), "bytes")
}
