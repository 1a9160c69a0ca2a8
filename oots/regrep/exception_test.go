package regrep

import (
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

func TestExceptionRoundTrip(t *testing.T) {
	in := Exception{
		Type:     AuthorizationException,
		Severity: "urn:sr.oots.tech.europa.eu:codes:ErrorSeverity:EDMErrorResponse:PreviewRequired",
		Message:  "Missing Authorization",
		Detail:   "preview needed",
		Code:     "EDM:ERR:0002",
		Slots:    []Slot{NewSlot("PreviewLocation", String("https://preview.example/x?a=1&b=2"))},
	}
	doc := etree.NewDocument()
	root := doc.CreateElement("root")
	DeclareStandard(root)
	in.Build(root)
	data, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	x, err := ReadException(mustParse(t, string(data)).ChildElements()[0])
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if x.Type != in.Type || x.Severity != in.Severity || x.Message != in.Message || x.Detail != in.Detail || x.Code != in.Code {
		t.Errorf("got %+v, want %+v", x, in)
	}
	if loc, err := Find(x.Slots, "PreviewLocation").StringValue(); err != nil || loc != "https://preview.example/x?a=1&b=2" {
		t.Errorf("PreviewLocation = %q, %v", loc, err)
	}
	if got := x.Error(); !strings.Contains(got, "EDM:ERR:0002") || !strings.Contains(got, "Missing Authorization") {
		t.Errorf("Error() = %q", got)
	}
}

func TestExceptionTypePrefixes(t *testing.T) {
	tests := []struct {
		xml  string
		want ExceptionType
	}{
		{`<x:Exception xmlns:x="` + NSRS + `" xmlns:i="` + NSXSI + `" i:type="x:TimeoutExceptionType"/>`, TimeoutException},
		{`<rs:Exception xmlns:rs="` + NSRS + `" xmlns:q="` + NSQuery + `" xmlns:xsi="` + NSXSI + `" xsi:type="q:QueryExceptionType"/>`, QueryException},
	}
	for _, tc := range tests {
		x, err := ReadException(mustParse(t, tc.xml))
		if err != nil || x.Type != tc.want {
			t.Errorf("%s: type %q, %v; want %q", tc.xml, x.Type, err, tc.want)
		}
	}
}

func TestReadExceptionErrors(t *testing.T) {
	ns := `xmlns:rs="` + NSRS + `" xmlns:xsi="` + NSXSI + `" xmlns:rim="` + NSRIM + `"`
	tests := []struct {
		name, xml string
		want      error
	}{
		{"not an exception", `<rim:Slot ` + ns + `/>`, ErrNamespace},
		{"wrong namespace", `<rs:Exception xmlns:rs="urn:evil" xmlns:xsi="` + NSXSI + `" xsi:type="rs:TimeoutExceptionType"/>`, ErrNamespace},
		{"no type", `<rs:Exception ` + ns + `/>`, ErrMissing},
		{"type outside rs and query", `<rs:Exception ` + ns + ` xsi:type="rim:TimeoutExceptionType"/>`, ErrWrongType},
		{"bad slot", `<rs:Exception ` + ns + ` xsi:type="rs:TimeoutExceptionType"><rim:Slot/></rs:Exception>`, ErrMissing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadException(mustParse(t, tc.xml))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), "rs:Exception") && !strings.Contains(err.Error(), "rim:Slot") {
				t.Errorf("error %q does not name the element", err)
			}
		})
	}
}

func FuzzReadException(f *testing.F) {
	ns := `xmlns:rs="` + NSRS + `" xmlns:xsi="` + NSXSI + `" xmlns:rim="` + NSRIM + `" xmlns:query="` + NSQuery + `"`
	f.Add(`<rs:Exception ` + ns + ` xsi:type="rs:AuthorizationExceptionType" code="EDM:ERR:0002" severity="s" message="m" detail="d">` +
		`<rim:Slot name="PreviewLocation"><rim:SlotValue xsi:type="rim:StringValueType"><rim:Value>https://x</rim:Value></rim:SlotValue></rim:Slot></rs:Exception>`)
	f.Add(`<rs:Exception ` + ns + ` xsi:type="query:QueryExceptionType"/>`)
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := xmlsafe.ParseBytes([]byte(s))
		if err != nil {
			return
		}
		x, err := ReadException(doc.Root())
		if err != nil {
			return
		}
		// Only the attributes and slot names are compared: slot content
		// may use prefixes the rebuilt document does not declare.
		for i := range x.Slots {
			x.Slots[i].Value = Value{}
		}
		out := etree.NewDocument()
		root := out.CreateElement("root")
		DeclareStandard(root)
		x.Build(root)
		data, err := out.WriteToBytes()
		if err != nil {
			t.Fatal(err)
		}
		back, err := xmlsafe.ParseBytes(data)
		if err != nil {
			t.Fatalf("rebuilt exception does not parse: %v\n%s", err, data)
		}
		y, err := ReadException(back.Root().ChildElements()[0])
		if err != nil {
			t.Fatalf("rebuilt exception does not read: %v\n%s", err, data)
		}
		if y.Type != x.Type || y.Code != x.Code || y.Severity != x.Severity || y.Message != x.Message || y.Detail != x.Detail || len(y.Slots) != len(x.Slots) {
			t.Fatalf("round trip changed %+v into %+v", x, y)
		}
	})
}
