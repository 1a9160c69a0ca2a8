package edm

import (
	"strings"
	"testing"
)

// addSeeds adds the typical built messages in both versions and every
// sample message to f's corpus.
func addSeeds(f *testing.F) {
	for _, m := range constructedMessages() {
		for _, v := range []Version{V1, V2} {
			if data, err := m.Marshal(v); err == nil {
				f.Add(data)
			}
		}
	}
	for _, s := range edmSamples(f) {
		f.Add(s.data)
	}
}

// roundTrip checks the property every parser must keep: whatever parses
// and can be written again parses back to the same values.
func roundTrip(t *testing.T, m Message) {
	out, err := m.Marshal(m.SpecVersion())
	if err != nil {
		// What parses must be writable again; the one exception is a time
		// that parses to the zero time.Time, which Marshal reads as unset.
		if strings.Contains(err.Error(), "IssueDateTime") || strings.Contains(err.Error(), "Timestamp") {
			return
		}
		t.Fatalf("parsed but cannot be written again: %v", err)
	}
	back, err := Parse(out)
	if err != nil {
		t.Fatalf("re-parse of own output: %v\n%s", err, out)
	}
	if d := compareMessages(m, back); d != "" {
		t.Fatalf("round trip lost %s\n%s", d, out)
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			return
		}
		roundTrip(t, m)
	})
}

func FuzzParseQueryRequest(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseQueryRequest(data)
		if err != nil {
			return
		}
		roundTrip(t, m)
	})
}

func FuzzParseQueryResponse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseQueryResponse(data)
		if err != nil {
			return
		}
		roundTrip(t, m)
	})
}

func FuzzParseExceptionResponse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseExceptionResponse(data)
		if err != nil {
			return
		}
		roundTrip(t, m)
	})
}
