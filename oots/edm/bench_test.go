package edm

import (
	"testing"
	"time"

	"github.com/beevik/etree"
)

// Benchmarks of the typical request and response. Each parse benchmark has
// a baseline (BenchmarkEtreeRead…) that only reads the same bytes into a
// plain etree document, so the cost of the typed parse is reported as a
// ratio measured in the same run: goal ≤ 2x. The build goals: ≥ 10,000
// requests built and serialised per second per core (≤ 100 µs/op).

// loop runs op b.N times and reports, besides the wall time, the process
// CPU time per operation and the operations per CPU-second ("per core").
func loop(b *testing.B, op func() error) {
	b.ReportAllocs()
	start := processCPU()
	n := 0
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if cpu := processCPU() - start; cpu > 0 && n > 0 {
		per := float64(cpu.Nanoseconds()) / float64(n)
		b.ReportMetric(per, "cpu-ns/op")
		b.ReportMetric(1e9/per, "ops/cpu-s")
	}
}

func benchBytes(b *testing.B, m Message) []byte {
	b.Helper()
	data, err := m.Marshal(V1)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkBuildQueryRequest(b *testing.B) {
	r := naturalRequest()
	loop(b, func() error {
		_, err := r.Marshal(V1)
		return err
	})
}

func BenchmarkBuildQueryResponse(b *testing.B) {
	r := typicalResponse()
	loop(b, func() error {
		_, err := r.Marshal(V1)
		return err
	})
}

func BenchmarkParseQueryRequest(b *testing.B) {
	data := benchBytes(b, naturalRequest())
	b.SetBytes(int64(len(data)))
	loop(b, func() error {
		_, err := ParseQueryRequest(data)
		return err
	})
}

func BenchmarkEtreeReadQueryRequest(b *testing.B) {
	data := benchBytes(b, naturalRequest())
	b.SetBytes(int64(len(data)))
	loop(b, func() error {
		return etree.NewDocument().ReadFromBytes(data)
	})
}

func BenchmarkParseQueryResponse(b *testing.B) {
	data := benchBytes(b, typicalResponse())
	b.SetBytes(int64(len(data)))
	loop(b, func() error {
		_, err := ParseQueryResponse(data)
		return err
	})
}

func BenchmarkEtreeReadQueryResponse(b *testing.B) {
	data := benchBytes(b, typicalResponse())
	b.SetBytes(int64(len(data)))
	loop(b, func() error {
		return etree.NewDocument().ReadFromBytes(data)
	})
}

// BenchmarkParseRatio interleaves the typed parse and the plain etree read
// of the same bytes in one run and reports typed/plain CPU time as
// "req-x-etree" and "resp-x-etree" (goal ≤ 2), and the CPU time of
// building and serialising the request relative to reading it
// ("build-req-x-etree"), a load-independent view of the build speed.
func BenchmarkParseRatio(b *testing.B) {
	req := benchBytes(b, naturalRequest())
	resp := benchBytes(b, typicalResponse())
	r := naturalRequest()
	var typedReq, plainReq, typedResp, plainResp, buildReq time.Duration
	measure := func(acc *time.Duration, f func() error) {
		start := processCPU()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		*acc += processCPU() - start
	}
	const batch = 20
	for b.Loop() {
		measure(&typedReq, func() error {
			for range batch {
				if _, err := ParseQueryRequest(req); err != nil {
					return err
				}
			}
			return nil
		})
		measure(&plainReq, func() error {
			for range batch {
				if err := etree.NewDocument().ReadFromBytes(req); err != nil {
					return err
				}
			}
			return nil
		})
		measure(&buildReq, func() error {
			for range batch {
				if _, err := r.Marshal(V1); err != nil {
					return err
				}
			}
			return nil
		})
		measure(&typedResp, func() error {
			for range batch {
				if _, err := ParseQueryResponse(resp); err != nil {
					return err
				}
			}
			return nil
		})
		measure(&plainResp, func() error {
			for range batch {
				if err := etree.NewDocument().ReadFromBytes(resp); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if plainReq > 0 && plainResp > 0 {
		b.ReportMetric(float64(typedReq)/float64(plainReq), "req-x-etree")
		b.ReportMetric(float64(typedResp)/float64(plainResp), "resp-x-etree")
		b.ReportMetric(float64(buildReq)/float64(plainReq), "build-req-x-etree")
	}
}
