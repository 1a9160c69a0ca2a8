package as4

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

func parseFile(t *testing.T, path string) (*Messaging, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := xmlsafe.ParseBytes(data)
	if err != nil {
		return nil, err
	}
	return ParseEnvelope(doc)
}

// TestDomibusEnvelopes reads the eb:Messaging header of the Domibus
// WS-plugin submissions (SOAP 1.2) and checks it equals the matching
// stand-alone OOTS header sample.
func TestDomibusEnvelopes(t *testing.T) {
	spec := spectest.Dir(t)
	dir := filepath.Join(spec, "as4", "v2.0", "oots-france-domibus-ws-plugin")
	headers := filepath.Join(spec, "as4", "v2.0", "oots-france-ebms-headers")
	files, _ := filepath.Glob(filepath.Join(dir, "*.soumission.xml"))
	if len(files) == 0 {
		t.Fatalf("no Domibus submissions in %s", dir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m, err := parseFile(t, f)
			if err != nil {
				t.Fatal(err)
			}
			header := filepath.Join(headers, strings.TrimSuffix(filepath.Base(f), ".soumission.xml")+".entete.xml")
			data, err := os.ReadFile(header)
			if err != nil {
				t.Skipf("no matching header sample: %v", err)
			}
			doc, err := xmlsafe.ParseBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ParseMessaging(doc.Root())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m.User, want.User) {
				t.Errorf("Domibus header differs from %s:\n got %+v\nwant %+v", filepath.Base(header), m.User, want.User)
			}
		})
	}
}

// TestV1SampleEnvelopes checks the verdicts on the low-quality v1.0 SOAP
// samples: the one the ebMS3 XSD rejects (UserMessage without
// MessageInfo) is rejected naming the element, the not well-formed one
// fails parsing, the bare QueryRequest is no SOAP envelope.
func TestV1SampleEnvelopes(t *testing.T) {
	dir := filepath.Join(spectest.Dir(t), "as4", "v1.0", "soap-envelopes-hego00-im")
	cases := []struct {
		file, want string
		code       *Error
	}{
		{"TC_5_IT_SOAP.XML", "eb:MessageInfo missing", ErrInvalidHeader},
		{"tc5_IE_PT_request.xml", "not a SOAP 1.2 Envelope", ErrInvalidHeader},
		{"EnvelopeResponse.xml", "malformed xml", nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			_, err := parseFile(t, filepath.Join(dir, c.file))
			if err == nil || !strings.Contains(err.Error(), c.want) || (c.code != nil && !errors.Is(err, c.code)) {
				t.Fatalf("got %v, want error with %q", err, c.want)
			}
		})
	}
}
