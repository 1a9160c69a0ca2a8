package edm

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/regrep"
)

// TestBuiltGolden keeps the typical built messages, in both versions, as
// golden files: a change in the output is seen in review.
func TestBuiltGolden(t *testing.T) {
	msgs := constructedMessages()
	names := make([]string, 0, len(msgs))
	for n := range msgs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range []Version{V1, V2} {
			out, err := MarshalIndent(msgs[name], v)
			if err != nil {
				t.Fatalf("%s %s: %v", name, v, err)
			}
			golden := filepath.Join("testdata", "golden", "built-"+name+"-v"+string(rune('0'+v.Major()))+".xml")
			if *update {
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("%s: output differs from %s", name, golden)
			}
			back, err := Parse(out)
			if err != nil {
				t.Fatalf("%s %s: parse: %v", name, v, err)
			}
			if back.SpecVersion() != v {
				t.Errorf("%s: parsed version %s, wrote %s", name, back.SpecVersion(), v)
			}
		}
	}
}

// TestRoundTripValues: Parse(Marshal(x)) == x for the typical messages, in
// both versions (ExchangeID, which is not in the XML, aside).
func TestRoundTripValues(t *testing.T) {
	for name, m := range constructedMessages() {
		for _, v := range []Version{V1, V2} {
			out, err := m.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(out)
			if err != nil {
				t.Fatalf("%s %s: %v", name, v, err)
			}
			want := expectedAfterRoundTrip(m, v)
			if d := compareMessages(want, back); d != "" {
				t.Errorf("%s %s: %s", name, v, d)
			}
		}
	}
}

// expectedAfterRoundTrip is m as Parse returns it after Marshal(v): with
// the version set, no ExchangeID, defaults filled in, and the fields v does
// not carry dropped.
func expectedAfterRoundTrip(m Message, v Version) Message {
	switch m := m.(type) {
	case *QueryRequest:
		c := *m
		c.Version, c.ExchangeID = v, ""
		if v.Major() >= 2 && c.Procedure != nil {
			c.Procedure = &Procedure{Code: c.Procedure.Code}
		}
		if !v.after10() {
			reqs := make([]Requirement, len(c.Requirements))
			for i, r := range c.Requirements {
				r.Descriptions = nil
				reqs[i] = r
			}
			c.Requirements = reqs
			c.EvidenceRequest.DistributedAs.Languages = nil
		}
		return &c
	case *QueryResponse:
		c := *m
		c.Version, c.ExchangeID = v, ""
		if v.Major() >= 2 && len(c.Evidence) > 0 {
			if c.PackageID == "" {
				c.PackageID = derivedID("package:" + c.ResponseID)
			}
			items := append([]EvidenceItem(nil), c.Evidence...)
			if items[0].Classification == nil {
				items[0].Classification = &ObjectClassification{ID: derivedID("main:" + items[0].ID), Scheme: ClassificationSchemeEDM, Node: NodeMainEvidence}
			}
			c.Evidence = items
		}
		return &c
	case *ExceptionResponse:
		c := *m
		c.Version, c.ExchangeID = v, ""
		x := &c.Exception
		x.Type = x.Code.ExceptionType()
		if x.Message == "" {
			x.Message = x.Code.Name()
		}
		switch {
		case x.Code == CodePreviewRequired:
			x.Severity = previewSeverity(v)
		case x.Severity == "":
			x.Severity = SeverityError
		}
		return &c
	}
	return m
}

func constructedMessages() map[string]Message {
	empty := typicalResponse()
	empty.Evidence = nil
	timeout := NewTimeout(naturalRequest(), errorProvider(), "The base registry did not answer in time", fixedNow.Add(time.Minute))
	timeout.ResponseID = "530ad1e2-5eaf-4a9a-8192-227432eea95e"
	later := typicalResponse()
	later.Status = StatusUnavailable
	later.Evidence = nil
	later.ResponseAvailableDateTime = fixedNow.Add(48 * time.Hour)
	return map[string]Message{
		"response-later":        later,
		"request-natural":       naturalRequest(),
		"request-legal-rep":     legalRequest(),
		"request-after-preview": afterPreview(),
		"response":              typicalResponse(),
		"response-no-evidence":  empty,
		"error-preview":         previewResponse(),
		"error-timeout":         timeout,
	}
}

func afterPreview() *QueryRequest {
	r := naturalRequest().AfterPreview("https://preview.example.de/requests?session=d36af8bc", fixedNow.Add(5*time.Minute))
	r.ID = "urn:uuid:0e4c8f2a-5a43-4c1e-9f55-3b0a3c1d2e03"
	return r
}

// TestPreviewFlow follows one exchange: request, EDM:ERR:0002, second
// request with the preview location, evidence.
func TestPreviewFlow(t *testing.T) {
	for _, v := range []Version{V1, V2} {
		first := naturalRequest()
		body, err := first.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		// Provider side.
		msg, err := Parse(body)
		if err != nil {
			t.Fatal(err)
		}
		got := msg.(*QueryRequest)
		loc := "https://preview.example.de/p?s=1&t=2"
		reply, err := NewPreviewRequired(got, provider(), loc, fixedNow).Marshal(got.Version)
		if err != nil {
			t.Fatal(err)
		}
		// Requester side.
		msg, err = Parse(reply)
		if err != nil {
			t.Fatal(err)
		}
		xr, ok := msg.(*ExceptionResponse)
		if !ok || !xr.PreviewRequired() || xr.RequestID != first.ID || xr.Exception.PreviewLocation != loc {
			t.Fatalf("%s: preview reply = %#v", v, msg)
		}
		if xr.ErrorProvider.Classification != ClassErrorProvider || xr.EvidenceRequester.Identifier != requester().Identifier {
			t.Errorf("%s: agents = %+v / %+v", v, xr.ErrorProvider, xr.EvidenceRequester)
		}
		if !isPreviewSeverity(xr.Exception.Severity) || xr.Exception.Type != regrep.AuthorizationException {
			t.Errorf("%s: exception = %+v", v, xr.Exception)
		}
		second := first.AfterPreview(xr.Exception.PreviewLocation, fixedNow.Add(time.Minute))
		if second.ID == first.ID || second.ExchangeID != first.ExchangeID || second.PreviewLocation != loc {
			t.Errorf("%s: second request ids %s/%s, exchange %s", v, first.ID, second.ID, second.ExchangeID)
		}
		if first.PreviewLocation != "" {
			t.Error("AfterPreview changed the first request")
		}
		body, err = second.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseQueryRequest(body)
		if err != nil || again.PreviewLocation != loc || again.ID != second.ID {
			t.Fatalf("%s: second request parsed %+v, %v", v, again, err)
		}
		// Provider delivers.
		resp := NewQueryResponse(again, provider(), fixedNow.Add(2*time.Minute), EvidenceItem{
			ID: NewID(), Metadata: birthEvidence(), Attachment: Attachment{Href: "cid:ev1@provider.de", Title: "Birth certificate"},
		})
		body, err = resp.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		qr, err := ParseQueryResponse(body)
		if err != nil {
			t.Fatal(err)
		}
		if qr.RequestID != second.ID || len(qr.Evidence) != 1 || qr.Evidence[0].Attachment.ContentID() != "ev1@provider.de" {
			t.Errorf("%s: response %+v", v, qr)
		}
	}
}

// TestErrorConstructors: every code gets its code list type, name and the
// right severity.
func TestErrorConstructors(t *testing.T) {
	for c, r := range errorResponses() {
		out, err := r.Marshal(V1)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		back, err := ParseExceptionResponse(out)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		x := back.Exception
		if x.Code != c || x.Type != c.ExceptionType() || x.Message != c.Name() || x.Timestamp.IsZero() {
			t.Errorf("%s: exception %+v", c, x)
		}
		wantSev := SeverityError
		if c == CodePreviewRequired {
			wantSev = SeverityPreviewRequiredV1
		}
		if x.Severity != wantSev {
			t.Errorf("%s: severity %s, want %s", c, x.Severity, wantSev)
		}
		if back.Timeout() != (c == CodeTimeout) || back.PreviewRequired() != (c == CodePreviewRequired) {
			t.Errorf("%s: Timeout()=%v PreviewRequired()=%v", c, back.Timeout(), back.PreviewRequired())
		}
		if !strings.Contains(back.Error(), string(c)) {
			t.Errorf("%s: Error() = %q", c, back.Error())
		}
	}
	v2, err := previewResponse().Marshal(V2)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseExceptionResponse(v2)
	if err != nil || back.Exception.Severity != SeverityPreviewRequired {
		t.Errorf("v2 preview severity = %q, %v", back.Exception.Severity, err)
	}
}

// TestBuildRefusesIncomplete: Marshal names the missing or wrong field.
func TestBuildRefusesIncomplete(t *testing.T) {
	tests := []struct {
		name    string
		msg     func() Message
		v       Version
		want    error
		mention string
	}{
		{"unknown version", func() Message { return naturalRequest() }, "oots-edm:v3.0", ErrVersion, "v3.0"},
		{"not a version", func() Message { return naturalRequest() }, "v1", ErrVersion, `"v1"`},
		{"request without id", func() Message { r := naturalRequest(); r.ID = ""; return r }, V1, ErrMissing, "@id"},
		{"request without time", func() Message { r := naturalRequest(); r.IssueDateTime = time.Time{}; return r }, V1, ErrMissing, "IssueDateTime"},
		{"request without requester", func() Message { r := naturalRequest(); r.EvidenceRequesters = nil; return r }, V1, ErrMissing, "EvidenceRequester"},
		{"request without subject", func() Message { r := naturalRequest(); r.NaturalPerson = nil; return r }, V1, ErrInvalid, "NaturalPerson"},
		{"request with two subjects", func() Message { r := legalRequest(); r.NaturalPerson = citizen(); return r }, V1, ErrInvalid, "LegalPerson"},
		{"person without family name", func() Message { r := naturalRequest(); r.NaturalPerson.FamilyName = ""; return r }, V1, ErrMissing, "sdg:FamilyName"},
		{"provider without identifier", func() Message { r := naturalRequest(); r.EvidenceProvider.Identifier.Value = ""; return r }, V1, ErrMissing, "EvidenceProvider"},
		{"address without country", func() Message { r := naturalRequest(); r.EvidenceRequesters[0].Address.AdminUnitLevel1 = ""; return r }, V1, ErrMissing, "AdminUnitLevel1"},
		{"evidence type without format", func() Message { r := naturalRequest(); r.EvidenceRequest.DistributedAs.Format = ""; return r }, V1, ErrMissing, "sdg:Format"},
		{"bad supported value kind", func() Message {
			r := naturalRequest()
			r.EvidenceProviderClassifications[0].SupportedValue.Kind = "IntValue"
			return r
		}, V1, ErrInvalid, "IntValue"},
		{"http preview location in request", func() Message { r := naturalRequest(); r.PreviewLocation = "http://x.example/"; return r }, V1, ErrInvalid, "PreviewLocation"},
		{"response without response id", func() Message { r := typicalResponse(); r.ResponseID = ""; return r }, V1, ErrMissing, "EvidenceResponseIdentifier"},
		{"response without attachment", func() Message { r := typicalResponse(); r.Evidence[0].Attachment.Href = ""; return r }, V1, ErrMissing, "xlink:href"},
		{"evidence about nobody", func() Message { r := typicalResponse(); r.Evidence[0].Metadata.NaturalPerson = nil; return r }, V1, ErrInvalid, "sdg:IsAbout"},
		{"preview without location", func() Message { r := previewResponse(); r.Exception.PreviewLocation = ""; return r }, V1, ErrMissing, "PreviewLocation"},
		{"preview to javascript", func() Message { r := previewResponse(); r.Exception.PreviewLocation = "javascript:alert(1)"; return r }, V1, ErrInvalid, "PreviewLocation"},
		{"preview method PUT", func() Message { r := previewResponse(); r.Exception.PreviewMethod = "PUT"; return r }, V1, ErrInvalid, "PreviewMethod"},
		{"unknown error code", func() Message { r := previewResponse(); r.Exception.Code = "EDM:ERR:9999"; return r }, V1, ErrInvalid, "EDM:ERR:9999"},
		{"error without timestamp", func() Message { r := previewResponse(); r.Exception.Timestamp = time.Time{}; return r }, V1, ErrMissing, "Timestamp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.msg().Marshal(tc.v)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %q does not name %q", err, tc.mention)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	tests := []struct {
		v       Version
		major   int
		after10 bool
	}{
		{V1, 1, false}, {"oots-edm:v1.2", 1, true}, {V2, 2, true}, {"oots-edm:v2.1", 2, true},
		{"oots-edm:v3.0", 0, true}, {"oots-cs:v1.0", 0, false}, {"", 0, false},
	}
	for _, tc := range tests {
		if got := tc.v.Major(); got != tc.major {
			t.Errorf("%q.Major() = %d, want %d", tc.v, got, tc.major)
		}
		if tc.major != 0 && tc.v.after10() != tc.after10 {
			t.Errorf("%q.after10() = %v", tc.v, tc.v.after10())
		}
		if (tc.v.check() == nil) != (tc.major != 0) {
			t.Errorf("%q.check() = %v", tc.v, tc.v.check())
		}
	}
}

func TestParseVersion(t *testing.T) {
	if v, err := ParseVersion(" oots-edm:v2.0\n"); err != nil || v != V2 {
		t.Errorf("ParseVersion = %q, %v", v, err)
	}
	if _, err := ParseVersion("oots-cs:v2.0"); !errors.Is(err, ErrVersion) {
		t.Errorf("ParseVersion of a common-services id: %v", err)
	}
}

func TestIDs(t *testing.T) {
	a, b := NewID(), NewID()
	if a == b || !strings.HasPrefix(a, "urn:uuid:") || len(a) != 45 || a[23] != '4' {
		t.Errorf("NewID() = %q, %q", a, b)
	}
	if d := derivedID("x"); d != derivedID("x") || d == derivedID("y") || d[23] != '5' {
		t.Errorf("derivedID not stable or not distinct: %s", d)
	}
	if got := (Attachment{Href: "cid:a@b"}).ContentID(); got != "a@b" {
		t.Errorf("ContentID = %q", got)
	}
}
