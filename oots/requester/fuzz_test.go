package requester

import (
	"errors"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4"
)

// FuzzReadAnswer feeds arbitrary EDM payloads, actions and attachment ids
// to the answer reader: it must never panic, and whatever it accepts is
// an answer of the right kind whose attachments all match evidence.
func FuzzReadAnswer(f *testing.F) {
	preview, evidence := answers("ev1@demo")
	f.Add(preview, as4.ActionExceptionResponse, "")
	f.Add(evidence, as4.ActionQueryResponse, "ev1@demo")
	f.Add([]byte("<r/>"), as4.ActionQueryResponse, "x")
	f.Fuzz(func(t *testing.T, body []byte, action, cid string) {
		var extra []as4.Payload
		if cid != "" {
			extra = append(extra, as4.Payload{ContentID: cid, MimeType: "application/pdf", Open: opener([]byte("%PDF"))})
		}
		a, _, err := readAnswer(delivery(action, body, extra...))
		if err != nil {
			if !errors.Is(err, errDelivery) {
				t.Fatalf("refusal %v is not an answer refusal", err)
			}
			return
		}
		if a.Message == nil || (action != as4.ActionQueryResponse && action != as4.ActionExceptionResponse) {
			t.Fatalf("accepted %T under action %q", a.Message, action)
		}
	})
}
