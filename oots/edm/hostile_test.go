package edm

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// mutate builds m as v1, applies fn to the parsed tree and returns the
// bytes.
func mutate(t *testing.T, m Message, fn func(root *etree.Element)) []byte {
	t.Helper()
	data, err := m.Marshal(V1)
	if err != nil {
		t.Fatal(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		t.Fatal(err)
	}
	fn(doc.Root())
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// dropSlot removes every rim:Slot called name anywhere in the tree.
func dropSlot(name string) func(*etree.Element) {
	return func(root *etree.Element) {
		for _, s := range root.FindElements("//rim:Slot[@name='" + name + "']") {
			s.Parent().RemoveChild(s)
		}
	}
}

// setText sets the text of the element at path.
func setText(path, text string) func(*etree.Element) {
	return func(root *etree.Element) { root.FindElement(path).SetText(text) }
}

func TestHostileInput(t *testing.T) {
	const xxe = `<?xml version="1.0"?><!DOCTYPE q [<!ENTITY e SYSTEM "file:///etc/passwd">]>` +
		`<query:QueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:4.0" id="x">&e;</query:QueryRequest>`
	const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">` +
		`<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>`
	oversize := append([]byte(`<query:QueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:4.0"><!--`),
		bytes.Repeat([]byte("x"), xmlsafe.DefaultLimit)...)
	oversize = append(oversize, []byte(`--></query:QueryRequest>`)...)
	deep := strings.Repeat("<sdg:X>", 900) + strings.Repeat("</sdg:X>", 900)
	tooDeep := `<query:QueryRequest xmlns:query="` + regrep.NSQuery + `">` + strings.Repeat("<a>", 5000) + strings.Repeat("</a>", 5000) + `</query:QueryRequest>`

	req, resp, xr := naturalRequest(), typicalResponse(), previewResponse()
	tests := []struct {
		name    string
		data    []byte
		parse   func([]byte) (Message, error)
		want    error
		mention string
	}{
		{"XXE external entity", []byte(xxe), Parse, xmlsafe.ErrDoctype, "DOCTYPE"},
		{"billion laughs", []byte(laughs), Parse, xmlsafe.ErrDoctype, "DOCTYPE"},
		{"oversize document", oversize, Parse, xmlsafe.ErrTooLarge, "size limit"},
		{"nesting deeper than the parser allows", []byte(tooDeep), Parse, etree.ErrMaxDepth, "depth"},
		{"not XML", []byte("hello"), Parse, nil, "xml"},
		{"empty", nil, Parse, nil, "xml"},
		{"wrong root", []byte(`<evidence/>`), Parse, ErrRoot, "evidence"},
		{"right name, wrong namespace", []byte(`<query:QueryRequest xmlns:query="urn:evil" id="x"/>`), Parse, ErrRoot, "urn:evil"},
		{"SOAP envelope instead of payload", []byte(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"/>`), Parse, ErrRoot, "Envelope"},
		{"request parser given a response", mutate(t, resp, func(*etree.Element) {}), asMsg(ParseQueryRequest), ErrRoot, "QueryResponse"},
		{"response parser given an error", mutate(t, xr, func(*etree.Element) {}), asMsg(ParseQueryResponse), ErrInvalid, "rs:Exception"},
		{"error parser given a response", mutate(t, resp, func(*etree.Element) {}), asMsg(ParseExceptionResponse), ErrMissing, "rs:Exception"},
		{"slots in a foreign namespace", mutate(t, req, func(r *etree.Element) {
			r.CreateAttr("xmlns:rim", "urn:evil")
		}), Parse, ErrMissing, "SpecificationIdentifier"},
		{"agent in a foreign namespace", mutate(t, req, func(r *etree.Element) {
			r.FindElement("//rim:Slot[@name='EvidenceProvider']//sdg:Agent").CreateAttr("xmlns:sdg", "urn:evil")
		}), Parse, ErrNamespace, `slot "EvidenceProvider"`},
		{"unsupported version", mutate(t, req, setText("rim:Slot[@name='SpecificationIdentifier']//rim:Value", "oots-edm:v9.0")), Parse, ErrVersion, "v9.0"},
		{"version of another specification", mutate(t, req, setText("rim:Slot[@name='SpecificationIdentifier']//rim:Value", "oots-cs:v1.0")), Parse, ErrVersion, "SpecificationIdentifier"},
		{"duplicate slot", mutate(t, req, func(r *etree.Element) {
			r.InsertChildAt(0, r.FindElement("rim:Slot[@name='SpecificationIdentifier']").Copy())
		}), Parse, ErrDuplicate, "SpecificationIdentifier"},
		{"date as string", mutate(t, req, func(r *etree.Element) {
			r.FindElement("rim:Slot[@name='IssueDateTime']/rim:SlotValue").CreateAttr("xsi:type", "rim:StringValueType")
		}), Parse, ErrWrongType, "IssueDateTime"},
		{"bad date", mutate(t, req, setText("rim:Slot[@name='IssueDateTime']//rim:Value", "yesterday")), Parse, ErrInvalid, "IssueDateTime"},
		{"bad boolean", mutate(t, req, setText("rim:Slot[@name='ExplicitRequestGiven']//rim:Value", "yes")), Parse, ErrInvalid, "ExplicitRequestGiven"},
		{"javascript preview location", mutate(t, afterPreview(), setText("rim:Slot[@name='PreviewLocation']//rim:Value", "javascript:alert(1)")), Parse, ErrInvalid, "PreviewLocation"},
		{"http preview location in error", mutate(t, xr, setText("//rim:Slot[@name='PreviewLocation']//rim:Value", "http://preview.example/")), Parse, ErrInvalid, "PreviewLocation"},
		{"preview method DELETE", mutate(t, xr, setText("//rim:Slot[@name='PreviewMethod']//rim:Value", "DELETE")), Parse, ErrInvalid, "PreviewMethod"},
		{"two subjects", mutate(t, req, func(r *etree.Element) {
			q := r.FindElement("query:Query")
			lp := q.FindElement("rim:Slot[@name='NaturalPerson']").Copy()
			lp.SelectAttr("name").Value = "LegalPerson"
			q.AddChild(lp)
		}), Parse, ErrDuplicate, "NaturalPerson and LegalPerson"},
		{"two evidence providers", mutate(t, req, func(r *etree.Element) {
			sv := r.FindElement("rim:Slot[@name='EvidenceProvider']/rim:SlotValue")
			sv.SelectAttr("xsi:type").Value = "rim:CollectionValueType"
			a := sv.FindElement("sdg:Agent")
			sv.RemoveChild(a)
			for i := 0; i < 2; i++ {
				e := sv.CreateElement("rim:Element")
				e.CreateAttr("xsi:type", "rim:AnyValueType")
				e.AddChild(a.Copy())
			}
		}), Parse, ErrDuplicate, "EvidenceProvider"},
		{"success with an exception", mutate(t, xr, func(r *etree.Element) {
			r.SelectAttr("status").Value = StatusSuccess
		}), Parse, ErrInvalid, "@status"},
		{"failure without an exception", mutate(t, resp, func(r *etree.Element) {
			r.SelectAttr("status").Value = StatusFailure
		}), Parse, ErrInvalid, "@status"},
		{"error with evidence", mutate(t, xr, func(r *etree.Element) {
			r.CreateElement("rim:RegistryObjectList")
		}), Parse, ErrInvalid, "rim:RegistryObjectList"},
		{"two exceptions", mutate(t, xr, func(r *etree.Element) {
			r.AddChild(r.FindElement("rs:Exception").Copy())
		}), Parse, ErrDuplicate, "rs:Exception"},
		{"exception type outside rs", mutate(t, xr, func(r *etree.Element) {
			r.FindElement("rs:Exception").SelectAttr("xsi:type").Value = "rim:AuthorizationExceptionType"
		}), Parse, ErrWrongType, "xsi:type"},
		{"registry object of another type", mutate(t, resp, func(r *etree.Element) {
			r.FindElement("//rim:RegistryObject").SelectAttr("xsi:type").Value = "rim:ServiceType"
		}), Parse, ErrWrongType, "rim:RegistryObject"},
		{"nested registry packages", mutate(t, resp, func(r *etree.Element) {
			o := r.FindElement("//rim:RegistryObject")
			o.SelectAttr("xsi:type").Value = "rim:RegistryPackageType"
			l := o.CreateElement("rim:RegistryObjectList")
			p := l.CreateElement("rim:RegistryObject")
			p.CreateAttr("xsi:type", "rim:RegistryPackageType")
			p.CreateAttr("id", "urn:uuid:x")
		}), Parse, ErrInvalid, "nested registry package"},
		{"deeply nested foreign content", mutate(t, req, func(r *etree.Element) {
			p := r.FindElement("//sdg:Person")
			doc := etree.NewDocument()
			if err := doc.ReadFromString(`<w xmlns:sdg="` + regrep.NSSDG + `">` + deep + `</w>`); err != nil {
				t.Fatal(err)
			}
			p.AddChild(doc.Root().ChildElements()[0])
		}), Parse, xmlsafe.ErrTooDeep, "deeper than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.parse(tc.data)
			if tc.mention == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tc.mention)) {
				t.Errorf("error %q does not name %q", err, tc.mention)
			}
		})
	}
}

func asMsg[T Message](f func([]byte) (T, error)) func([]byte) (Message, error) {
	return func(b []byte) (Message, error) { return f(b) }
}

// TestMissingMandatory removes each mandatory slot or element in turn; the
// error must be ErrMissing and name it.
func TestMissingMandatory(t *testing.T) {
	tests := []struct {
		msg     Message
		drop    func(*etree.Element)
		mention string
	}{
		{naturalRequest(), dropSlot("SpecificationIdentifier"), "SpecificationIdentifier"},
		{naturalRequest(), dropSlot("IssueDateTime"), "IssueDateTime"},
		{naturalRequest(), dropSlot("PossibilityForPreview"), "PossibilityForPreview"},
		{naturalRequest(), dropSlot("ExplicitRequestGiven"), "ExplicitRequestGiven"},
		{naturalRequest(), dropSlot("EvidenceRequester"), "EvidenceRequester"},
		{naturalRequest(), dropSlot("EvidenceProvider"), "EvidenceProvider"},
		{naturalRequest(), dropSlot("EvidenceRequest"), "EvidenceRequest"},
		{naturalRequest(), dropSlot("NaturalPerson"), "NaturalPerson or LegalPerson"},
		{naturalRequest(), func(r *etree.Element) { r.RemoveChild(r.FindElement("query:Query")) }, "query:Query"},
		{naturalRequest(), func(r *etree.Element) { r.RemoveAttr("id") }, "@id"},
		{naturalRequest(), func(r *etree.Element) { drop(r, "//sdg:Person/sdg:DateOfBirth") }, "sdg:DateOfBirth"},
		{naturalRequest(), func(r *etree.Element) { drop(r, "//sdg:DataServiceEvidenceType/sdg:DistributedAs") }, "sdg:DistributedAs"},
		{naturalRequest(), func(r *etree.Element) { drop(r, "//sdg:Agent/sdg:Identifier") }, "sdg:Identifier"},
		{naturalRequest(), func(r *etree.Element) { drop(r, "//sdg:Agent/sdg:Address/sdg:AdminUnitLevel1") }, "sdg:AdminUnitLevel1"},
		{legalRequest(), func(r *etree.Element) { drop(r, "//sdg:LegalPerson/sdg:LegalName") }, "sdg:LegalName"},
		{typicalResponse(), dropSlot("EvidenceResponseIdentifier"), "EvidenceResponseIdentifier"},
		{typicalResponse(), dropSlot("EvidenceProvider"), "EvidenceProvider"},
		{typicalResponse(), dropSlot("EvidenceRequester"), "EvidenceRequester"},
		{typicalResponse(), dropSlot("EvidenceMetadata"), "EvidenceMetadata"},
		{typicalResponse(), func(r *etree.Element) { r.RemoveAttr("requestId") }, "@requestId"},
		{typicalResponse(), func(r *etree.Element) { drop(r, "rim:RegistryObjectList") }, "rim:RegistryObjectList"},
		{typicalResponse(), func(r *etree.Element) { drop(r, "//rim:RepositoryItemRef") }, "rim:RepositoryItemRef"},
		{typicalResponse(), func(r *etree.Element) { drop(r, "//sdg:Evidence/sdg:IssuingDate") }, "sdg:IssuingDate"},
		{typicalResponse(), func(r *etree.Element) { drop(r, "//sdg:Evidence/sdg:IsAbout") }, "sdg:IsAbout"},
		{typicalResponse(), func(r *etree.Element) { r.FindElement("//rim:RepositoryItemRef").RemoveAttr("xlink:title") }, "@xlink:title"},
		{typicalResponse(), func(r *etree.Element) { drop(r, "//sdg:IsConformantTo/sdg:Title") }, "sdg:IsConformantTo/sdg:Title"},
		{naturalRequest(), func(r *etree.Element) { drop(r, "//sdg:Requirement/sdg:Name") }, "sdg:Requirement/sdg:Name"},
		{naturalRequest(), func(r *etree.Element) { dropAll(r, "//sdg:DataServiceEvidenceType/sdg:Title") }, "sdg:DataServiceEvidenceType/sdg:Title"},
		{previewResponse(), dropSlot("PreviewLocation"), "EDM:ERR:0002 needs a preview location"},
		{previewResponse(), dropSlot("Timestamp"), "Timestamp"},
		{previewResponse(), dropSlot("ErrorProvider"), "ErrorProvider"},
		{previewResponse(), dropSlot("EvidenceRequester"), "EvidenceRequester"},
		{previewResponse(), dropSlot("EvidenceResponseIdentifier"), "EvidenceResponseIdentifier"},
		{previewResponse(), func(r *etree.Element) { r.FindElement("rs:Exception").RemoveAttr("xsi:type") }, "xsi:type"},
	}
	for _, tc := range tests {
		t.Run(tc.mention, func(t *testing.T) {
			_, err := Parse(mutate(t, tc.msg, tc.drop))
			if !errors.Is(err, ErrMissing) {
				t.Fatalf("err = %v, want ErrMissing", err)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %q does not name %q", err, tc.mention)
			}
		})
	}
}

func dropAll(root *etree.Element, path string) {
	for _, e := range root.FindElements(path) {
		e.Parent().RemoveChild(e)
	}
}

func drop(root *etree.Element, path string) {
	e := root.FindElement(path)
	e.Parent().RemoveChild(e)
}

// TestOtherPrefixes: the same message with other prefixes and a default
// namespace parses to the same values.
func TestOtherPrefixes(t *testing.T) {
	data, err := naturalRequest().Marshal(V1)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, r := range [][2]string{
		{"<rim:", "<r4:"}, {"</rim:", "</r4:"}, {"xmlns:rim=", "xmlns:r4="},
		{"<sdg:", "<p:"}, {"</sdg:", "</p:"}, {"xmlns:sdg=", "xmlns:p="},
		{"<query:", "<"}, {"</query:", "</"}, {"xmlns:query=", "xmlns="},
	} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	s = strings.ReplaceAll(s, `xsi:type="rim:`, `xsi:type="r4:`)
	got, err := ParseQueryRequest([]byte(s))
	if err != nil {
		t.Fatalf("%v\n%s", err, s[:400])
	}
	want, _ := ParseQueryRequest(data)
	if d := compareMessages(want, got); d != "" {
		t.Error(d)
	}
}

// TestDefaultNamespaceContent: sdg content written with a default
// namespace and other prefixes for rim/xsi (as some member states'
// generators do) parses to the same values.
func TestDefaultNamespaceContent(t *testing.T) {
	for _, m := range []Message{naturalRequest(), typicalResponse(), previewResponse()} {
		data, err := m.Marshal(V1)
		if err != nil {
			t.Fatal(err)
		}
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(data); err != nil {
			t.Fatal(err)
		}
		var walk func(e *etree.Element, inSDG bool)
		walk = func(e *etree.Element, inSDG bool) {
			if e.Space == "sdg" {
				e.Space = ""
				if !inSDG {
					e.CreateAttr("xmlns", regrep.NSSDG)
				}
				inSDG = true
			}
			if e.Space == "rim" {
				e.Space = "ns4"
			}
			for _, a := range e.Attr {
				if a.Space == "xsi" && a.Key == "type" {
					e.CreateAttr("d3p1:type", strings.Replace(a.Value, "rim:", "ns4:", 1))
					e.CreateAttr("xmlns:d3p1", regrep.NSXSI)
					e.RemoveAttr("xsi:type")
					break
				}
			}
			for _, c := range e.ChildElements() {
				walk(c, inSDG)
			}
		}
		root := doc.Root()
		root.RemoveAttr("xmlns:rim")
		root.RemoveAttr("xmlns:sdg")
		root.CreateAttr("xmlns:ns4", regrep.NSRIM)
		walk(root, false)
		out, err := doc.WriteToBytes()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out, []byte("<sdg:")) || bytes.Contains(out, []byte("<rim:")) {
			t.Fatalf("rewrite left standard prefixes:\n%s", out)
		}
		got, err := Parse(out)
		if err != nil {
			t.Fatalf("%T: %v\n%s", m, err, out)
		}
		want, _ := Parse(data)
		if d := compareMessages(want, got); d != "" {
			t.Errorf("%T: %s", m, d)
		}
	}
}
