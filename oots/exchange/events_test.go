package exchange

import (
	"encoding/json"
	"fmt"
	"strings"
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
			chans := make([]<-chan *Frame, subs)
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

// TestFrameIsOneSSEEvent: Publish's one encoding is a complete SSE event
// whose data is the event's JSON.
func TestFrameIsOneSSEEvent(t *testing.T) {
	e := api.Event{RequestID: "r1", Event: "evidence_delivered", State: "delivered", At: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), Detail: "line one\nline two"}
	f := newFrame(e)
	if got := string(f.sse); !strings.HasPrefix(got, "event: request\ndata: {") || !strings.HasSuffix(got, "}\n\n") || strings.Count(got, "\n") != 3 {
		t.Fatalf("frame %q is not one SSE event with one data line", got)
	}
	var back api.Event
	data := strings.TrimSuffix(strings.TrimPrefix(string(f.sse), "event: request\ndata: "), "\n\n")
	if err := json.Unmarshal([]byte(data), &back); err != nil || !back.At.Equal(e.At) || back.Detail != e.Detail || back.RequestID != e.RequestID {
		t.Fatalf("data %s decodes to %+v, %v", data, back, err)
	}
}
