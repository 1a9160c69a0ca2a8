package exchange

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

func TestHubDropsSlowSubscribersWithoutBlocking(t *testing.T) {
	h := NewHub()
	slow, stopSlow := h.Subscribe("a")
	defer stopSlow()
	other, stopOther := h.Subscribe("b")
	defer stopOther()
	for i := range subscriberBuffer + 5 {
		h.Publish("a", api.Event{RequestID: fmt.Sprint(i)})
	}
	n := 0
	for range slow {
		n++
	}
	if n != subscriberBuffer {
		t.Fatalf("slow subscriber got %d events before being dropped, want %d", n, subscriberBuffer)
	}
	select {
	case e := <-other:
		t.Fatalf("another person's subscriber got %+v", e)
	default:
	}
	h.Close()
	if _, ok := <-other; ok {
		t.Fatal("Close left a subscription open")
	}
}

// BenchmarkHubFanOut publishes one event to 10,000 subscribers of one
// person (the worst case: all streams of one subject) and waits until all
// received it; the baseline is publishing to a single subscriber.
func BenchmarkHubFanOut(b *testing.B) {
	for _, subs := range []int{1, 10000} {
		b.Run(fmt.Sprintf("subscribers-%d", subs), func(b *testing.B) {
			h := NewHub()
			var wg sync.WaitGroup
			chans := make([]<-chan api.Event, subs)
			for i := range chans {
				chans[i], _ = h.Subscribe("p")
			}
			e := api.Event{RequestID: "r", Event: "preview_requested", State: "preview_required", At: time.Now()}
			for b.Loop() {
				wg.Add(subs)
				for _, ch := range chans {
					go func() { <-ch; wg.Done() }()
				}
				h.Publish("p", e)
				wg.Wait()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(subs), "ns/subscriber")
		})
	}
}
