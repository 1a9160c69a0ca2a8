package regrep

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// wrap puts slot XML inside a root that declares the given prefixes.
func wrap(body string) string {
	return `<root xmlns:rim="` + NSRIM + `" xmlns:xsi="` + NSXSI + `" xmlns:sdg="` + NSSDG + `">` + body + `</root>`
}

func mustParse(t testing.TB, s string) *etree.Element {
	t.Helper()
	doc, err := xmlsafe.ParseBytes([]byte(s))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc.Root()
}

func TestReadSlotKinds(t *testing.T) {
	root := mustParse(t, wrap(`
<rim:Slot name="S"><rim:SlotValue xsi:type="rim:StringValueType"><rim:Value>oots-edm:v1.0</rim:Value></rim:SlotValue></rim:Slot>
<rim:Slot name="D"><rim:SlotValue xsi:type="rim:DateTimeValueType"><rim:Value>2022-05-19T17:08:10.872Z</rim:Value></rim:SlotValue></rim:Slot>
<rim:Slot name="B"><rim:SlotValue xsi:type="rim:BooleanValueType"><rim:Value>true</rim:Value></rim:SlotValue></rim:Slot>
<rim:Slot name="I"><rim:SlotValue xsi:type="rim:InternationalStringValueType"><rim:Value>
  <rim:LocalizedString xml:lang="EN" value="R1"/><rim:LocalizedString xml:lang="DE" value="Eins"/></rim:Value></rim:SlotValue></rim:Slot>
<rim:Slot name="A"><rim:SlotValue xsi:type="rim:AnyValueType"><!-- c --><sdg:Agent><sdg:Name>x</sdg:Name></sdg:Agent></rim:SlotValue></rim:Slot>
<rim:Slot name="C"><rim:SlotValue xsi:type="rim:CollectionValueType" collectionType="urn:oasis:names:tc:ebxml-regrep:CollectionType:Set">
  <rim:Element xsi:type="rim:AnyValueType"><sdg:Requirement/></rim:Element>
  <rim:Element xsi:type="rim:AnyValueType"><sdg:Requirement/></rim:Element></rim:SlotValue></rim:Slot>
<rim:Slot name="N"><rim:SlotValue xsi:type="rim:SlotValueType"><rim:Slot name="inner"><rim:SlotValue xsi:type="rim:StringValueType"><rim:Value>v</rim:Value></rim:SlotValue></rim:Slot></rim:SlotValue></rim:Slot>
<rim:Slot name="E"/>`))
	slots, err := ReadSlots(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) != 8 {
		t.Fatalf("got %d slots, want 8", len(slots))
	}
	if s, err := Find(slots, "S").StringValue(); err != nil || s != "oots-edm:v1.0" {
		t.Errorf("S = %q, %v", s, err)
	}
	want := time.Date(2022, 5, 19, 17, 8, 10, 872e6, time.UTC)
	if d, err := Find(slots, "D").DateTimeValue(); err != nil || !d.Equal(want) {
		t.Errorf("D = %v, %v", d, err)
	}
	if b, err := Find(slots, "B").BoolValue(); err != nil || !b {
		t.Errorf("B = %v, %v", b, err)
	}
	ls, err := Find(slots, "I").InternationalValue()
	if err != nil || len(ls) != 2 || ls[0] != (LocalizedString{"EN", "R1"}) || ls[1].Lang != "DE" {
		t.Errorf("I = %+v, %v", ls, err)
	}
	if a, err := Find(slots, "A").AnyValue(); err != nil || !Is(a, NSSDG, "Agent") {
		t.Errorf("A = %v, %v", a, err)
	}
	c, err := Find(slots, "C").CollectionValue()
	if err != nil || len(c) != 2 || Find(slots, "C").Value.CollectionType != CollectionSet {
		t.Errorf("C = %+v, %v", c, err)
	}
	if els, err := Find(slots, "C").AnyElements(); err != nil || len(els) != 2 {
		t.Errorf("C any elements = %d, %v", len(els), err)
	}
	if n := Find(slots, "N").Value.Slot; n == nil || n.Name != "inner" || n.Value.Text != "v" {
		t.Errorf("N = %+v", n)
	}
	if e := Find(slots, "E"); e == nil || e.Value.Kind != "" {
		t.Errorf("E = %+v", e)
	}
	if Find(slots, "missing") != nil {
		t.Error("Find of an absent slot returned a slot")
	}
}

func TestReadSlotOtherPrefixes(t *testing.T) {
	// Same namespaces, other prefixes, and a default namespace for rim.
	root := mustParse(t, `<r xmlns="`+NSRIM+`" xmlns:i="`+NSXSI+`" xmlns:r4="`+NSRIM+`">
<Slot name="S"><SlotValue i:type="r4:StringValueType"><Value>x</Value></SlotValue></Slot></r>`)
	slots, err := ReadSlots(root)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := Find(slots, "S").StringValue(); err != nil || s != "x" {
		t.Fatalf("S = %q, %v", s, err)
	}
}

func TestReadSlotErrors(t *testing.T) {
	deep := strings.Repeat(`<rim:Element xsi:type="rim:CollectionValueType">`, MaxValueDepth+2) +
		strings.Repeat(`</rim:Element>`, MaxValueDepth+2)
	tests := []struct {
		name, body string
		want       error
		mention    string
	}{
		{"no name", `<rim:Slot><rim:SlotValue xsi:type="rim:StringValueType"/></rim:Slot>`, ErrMissing, "@name"},
		{"no xsi:type", `<rim:Slot name="X"><rim:SlotValue/></rim:Slot>`, ErrMissing, `"X"`},
		{"foreign value type", `<rim:Slot name="X"><rim:SlotValue xsi:type="sdg:StringValueType"/></rim:Slot>`, ErrWrongType, `"X"`},
		{"undeclared prefix", `<rim:Slot name="X"><rim:SlotValue xsi:type="zz:StringValueType"/></rim:Slot>`, ErrWrongType, "xsi:type"},
		{"unsupported type", `<rim:Slot name="X"><rim:SlotValue xsi:type="rim:MapValueType"/></rim:Slot>`, ErrWrongType, "MapValueType"},
		{"two values", `<rim:Slot name="X"><rim:SlotValue xsi:type="rim:StringValueType"><rim:Value>a</rim:Value><rim:Value>b</rim:Value></rim:SlotValue></rim:Slot>`, ErrDuplicate, "rim:Value"},
		{"two slot values", `<rim:Slot name="X"><rim:SlotValue xsi:type="rim:StringValueType"/><rim:SlotValue xsi:type="rim:StringValueType"/></rim:Slot>`, ErrDuplicate, `"X"`},
		{"any with two elements", `<rim:Slot name="X"><rim:SlotValue xsi:type="rim:AnyValueType"><sdg:A/><sdg:B/></rim:SlotValue></rim:Slot>`, ErrDuplicate, "AnyValueType"},
		{"collection with foreign child", `<rim:Slot name="X"><rim:SlotValue xsi:type="rim:CollectionValueType"><sdg:A/></rim:SlotValue></rim:Slot>`, ErrNamespace, "p4s}A in a collection"},
		{"localized string without value", `<rim:Slot name="X"><rim:SlotValue xsi:type="rim:InternationalStringValueType"><rim:Value><rim:LocalizedString xml:lang="EN"/></rim:Value></rim:SlotValue></rim:Slot>`, ErrMissing, "@value"},
		{"nesting bomb", `<rim:Slot name="X"><rim:SlotValue xsi:type="rim:CollectionValueType">` + deep + `</rim:SlotValue></rim:Slot>`, ErrInvalid, "nested"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadSlots(mustParse(t, wrap(tc.body)))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %q does not name %q", err, tc.mention)
			}
		})
	}
}

func TestTypedGetterErrors(t *testing.T) {
	s := NewSlot("IssueDateTime", String("yesterday"))
	if _, err := s.DateTimeValue(); !errors.Is(err, ErrWrongType) || !strings.Contains(err.Error(), "IssueDateTime") {
		t.Errorf("DateTimeValue on a string slot: %v", err)
	}
	bad := NewSlot("IssueDateTime", Value{Kind: KindDateTime, Text: "yesterday"})
	var se *SlotError
	if _, err := bad.DateTimeValue(); !errors.Is(err, ErrInvalid) || !errors.As(err, &se) || se.Slot != "IssueDateTime" {
		t.Errorf("DateTimeValue of a bad date: %v", err)
	}
	yes := NewSlot("P", Value{Kind: KindBoolean, Text: "yes"})
	if _, err := yes.BoolValue(); !errors.Is(err, ErrInvalid) {
		t.Errorf("BoolValue of yes: %v", err)
	}
	empty := NewSlot("P", Any(nil))
	if _, err := empty.AnyValue(); !errors.Is(err, ErrMissing) {
		t.Errorf("AnyValue without content: %v", err)
	}
	str := NewSlot("P", String("x"))
	if _, err := str.AnyElements(); !errors.Is(err, ErrWrongType) {
		t.Errorf("AnyElements of a string: %v", err)
	}
}

func TestLookupRequire(t *testing.T) {
	slots := []Slot{NewSlot("A", String("1")), NewSlot("B", String("2")), NewSlot("B", String("3"))}
	if s, err := Lookup(slots, "A"); err != nil || s == nil || s.Value.Text != "1" {
		t.Errorf("Lookup A = %+v, %v", s, err)
	}
	if s, err := Lookup(slots, "Z"); err != nil || s != nil {
		t.Errorf("Lookup Z = %+v, %v", s, err)
	}
	if _, err := Lookup(slots, "B"); !errors.Is(err, ErrDuplicate) || !strings.Contains(err.Error(), `"B"`) {
		t.Errorf("Lookup B = %v", err)
	}
	if _, err := Require(slots, "Z"); !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), `"Z"`) {
		t.Errorf("Require Z = %v", err)
	}
}

func TestBuildReadRoundTrip(t *testing.T) {
	agent := etree.NewElement("sdg:Agent")
	agent.CreateElement("sdg:Name").SetText("Office")
	when := time.Date(2026, 11, 25, 10, 0, 0, 123e6, time.FixedZone("CET", 3600))
	in := []Slot{
		NewSlot("S", String("a & <b>")),
		NewSlot("D", DateTime(when)),
		NewSlot("B", Bool(false)),
		NewSlot("I", International(LocalizedString{"EN", "one"}, LocalizedString{"LV", "viens"})),
		NewSlot("A", Any(agent)),
		NewSlot("C", Collection(CollectionSet, String("x"), Bool(true))),
		{Name: "N", Type: "t", Value: Value{Kind: KindSlot, Slot: &Slot{Name: "in", Value: String("v")}}},
		{Name: "E"},
	}
	doc := etree.NewDocument()
	root := doc.CreateElement("root")
	DeclareStandard(root)
	for _, s := range in {
		s.Build(root)
	}
	data, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	out, err := ReadSlots(mustParse(t, string(data)))
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if len(out) != len(in) {
		t.Fatalf("read %d slots, wrote %d", len(out), len(in))
	}
	if got, _ := out[0].StringValue(); got != "a & <b>" {
		t.Errorf("S = %q", got)
	}
	if got, _ := out[1].DateTimeValue(); !got.Equal(when) || out[1].Value.Text != "2026-11-25T10:00:00.123+01:00" {
		t.Errorf("D = %v (%s)", got, out[1].Value.Text)
	}
	if got, err := out[2].BoolValue(); err != nil || got {
		t.Errorf("B = %v %v", got, err)
	}
	if got, _ := out[3].InternationalValue(); len(got) != 2 || got[1] != (LocalizedString{"LV", "viens"}) {
		t.Errorf("I = %+v", got)
	}
	if got, _ := out[4].AnyValue(); got == nil || got.FindElement("sdg:Name").Text() != "Office" {
		t.Errorf("A = %v", got)
	}
	if got := out[5].Value; got.CollectionType != CollectionSet || len(got.Elements) != 2 || got.Elements[1].Text != "true" {
		t.Errorf("C = %+v", got)
	}
	if got := out[6]; got.Type != "t" || got.Value.Slot == nil || got.Value.Slot.Value.Text != "v" {
		t.Errorf("N = %+v", got)
	}
	if out[7].Name != "E" || out[7].Value.Kind != "" {
		t.Errorf("E = %+v", out[7])
	}
}

func FuzzReadSlots(f *testing.F) {
	f.Add(wrap(`<rim:Slot name="S"><rim:SlotValue xsi:type="rim:StringValueType"><rim:Value>x</rim:Value></rim:SlotValue></rim:Slot>`))
	f.Add(wrap(`<rim:Slot name="C"><rim:SlotValue xsi:type="rim:CollectionValueType"><rim:Element xsi:type="rim:AnyValueType"><sdg:A/></rim:Element></rim:SlotValue></rim:Slot>`))
	f.Add(wrap(`<rim:Slot name="I"><rim:SlotValue xsi:type="rim:InternationalStringValueType"><rim:Value><rim:LocalizedString xml:lang="EN" value="v"/></rim:Value></rim:SlotValue></rim:Slot>`))
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := xmlsafe.ParseBytes([]byte(s))
		if err != nil {
			return
		}
		slots, err := ReadSlots(doc.Root())
		if err != nil {
			return
		}
		// Whatever was read must build and read back to the same names.
		out := etree.NewDocument()
		root := out.CreateElement("root")
		DeclareStandard(root)
		for _, sl := range slots {
			sl.Value.Any = nil // foreign content may use undeclared prefixes
			for i := range sl.Value.Elements {
				sl.Value.Elements[i] = Value{Kind: KindString}
			}
			sl.Build(root)
		}
		data, err := out.WriteToBytes()
		if err != nil {
			t.Fatal(err)
		}
		back, err := xmlsafe.ParseBytes(data)
		if err != nil {
			t.Fatalf("rebuilt slots do not parse: %v\n%s", err, data)
		}
		again, err := ReadSlots(back.Root())
		if err != nil {
			t.Fatalf("rebuilt slots do not read: %v\n%s", err, data)
		}
		if len(again) != len(slots) {
			t.Fatalf("read %d slots back, wrote %d", len(again), len(slots))
		}
	})
}

func TestStartSlotsMatchBuild(t *testing.T) {
	// The streaming helpers must write what Slot.Build writes.
	doc := etree.NewDocument()
	root := doc.CreateElement("root")
	DeclareStandard(root)
	StartAnySlot(root, "A").CreateElement("sdg:Agent")
	c := StartCollectionSlot(root, "C", CollectionSet)
	AddAnyElement(c).CreateElement("sdg:Requirement")
	AddAnyElement(c).CreateElement("sdg:Requirement")
	data, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	slots, err := ReadSlots(mustParse(t, string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := Find(slots, "A").AnyValue(); err != nil || a.Tag != "Agent" {
		t.Errorf("A = %v, %v", a, err)
	}
	if els, err := Find(slots, "C").AnyElements(); err != nil || len(els) != 2 || Find(slots, "C").Value.CollectionType != CollectionSet {
		t.Errorf("C = %v, %v", els, err)
	}
}

func TestSlotWithoutValue(t *testing.T) {
	s := Slot{Name: "SpecificationIdentifier"}
	_, err := s.StringValue()
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "rim:SlotValue") || !strings.Contains(err.Error(), "SpecificationIdentifier") {
		t.Errorf("StringValue of an empty slot: %v", err)
	}
	if _, err := s.AnyElements(); !errors.Is(err, ErrMissing) {
		t.Errorf("AnyElements of an empty slot: %v", err)
	}
}

// TestDateTimeKeepsOffset: a parse/format round trip keeps the offset the
// sender wrote; UTC stays Z.
func TestDateTimeKeepsOffset(t *testing.T) {
	for in, want := range map[string]string{
		"2023-03-01T10:00:00+02:00":     "2023-03-01T10:00:00.000+02:00",
		"2023-03-01T10:00:00.250-05:30": "2023-03-01T10:00:00.250-05:30",
		"2023-03-01T10:00:00Z":          "2023-03-01T10:00:00.000Z",
	} {
		v := Value{Kind: KindDateTime, Text: in}
		tm, err := v.AsDateTime()
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := DateTime(tm).Text; got != want {
			t.Errorf("%s: written as %s, want %s", in, got, want)
		}
	}
}
