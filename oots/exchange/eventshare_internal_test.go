package exchange

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// Publications go to the other processes in payloads under the limit, in
// the order they were published, as few as fit: what is heard is what
// was published. A publication too large for one payload goes event by
// event; an event too large for any is left out and counted, not sent
// in a payload the database would refuse with all the others in it.
func TestPackedPublicationsAreWhatWasPublished(t *testing.T) {
	const limit = 1000
	at := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	var pubs []publication
	for i := range 40 {
		p := publication{Subject: "LV/LV/" + strings.Repeat("1", i%5+1), Events: []api.Event{{RequestID: "r" + string(rune('a'+i%26)), Event: "created", State: "created", At: at}}}
		if i%7 == 0 {
			p.Subject, p.Group = "", "clerks:LV-UR"
		}
		pubs = append(pubs, p)
	}
	big := publication{Subject: "LV/LV/big"}
	for range 12 {
		big.Events = append(big.Events, api.Event{RequestID: "big", Event: "query_sent", Detail: strings.Repeat("d", 60), At: at})
	}
	huge := publication{Subject: "LV/LV/huge", Events: []api.Event{{RequestID: "huge", Detail: strings.Repeat("h", limit)}}}
	pubs = append(pubs, big, huge, pubs[0])

	payloads, oversize := packPublications("origin1", pubs, limit)
	if oversize != 1 {
		t.Errorf("%d events left out, want the one too large", oversize)
	}
	var heard []publication
	for _, p := range payloads {
		if len(p) > limit {
			t.Errorf("a payload of %d bytes, over the limit of %d", len(p), limit)
		}
		var b sharedBatch
		if err := json.Unmarshal([]byte(p), &b); err != nil || b.Origin != "origin1" {
			t.Fatalf("payload %q: %v, origin %q", p, err, b.Origin)
		}
		heard = append(heard, b.Publications...)
	}
	var want []publication
	for _, p := range pubs {
		switch p.Subject {
		case "LV/LV/big":
			for _, e := range p.Events {
				want = append(want, publication{Subject: p.Subject, Events: []api.Event{e}})
			}
		case "LV/LV/huge":
		default:
			want = append(want, p)
		}
	}
	if !reflect.DeepEqual(heard, want) {
		t.Errorf("heard %d publications, not the %d published in order", len(heard), len(want))
	}
	if total := len(strings.Join(payloads, "")); len(payloads) > total/(limit/2)+1 {
		t.Errorf("%d payloads for %d bytes: they are not filled", len(payloads), total)
	}
}
