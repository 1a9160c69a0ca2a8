package regrep

import (
	"fmt"
	"time"

	"github.com/beevik/etree"
)

// MaxValueDepth bounds how deeply collections and SlotValueType values may
// nest when read, so hostile input cannot exhaust the stack.
const MaxValueDepth = 16

// Slot is a rim:Slot: a named value. A zero Value.Kind means the slot has
// no rim:SlotValue.
type Slot struct {
	Name  string // @name, mandatory
	Type  string // @type, optional
	Value Value
}

// NewSlot returns a slot called name holding v.
func NewSlot(name string, v Value) Slot { return Slot{Name: name, Value: v} }

// ReadSlots reads every rim:Slot child of parent, in document order.
func ReadSlots(parent *etree.Element) ([]Slot, error) {
	var out []Slot
	for _, t := range parent.Child {
		c, ok := t.(*etree.Element)
		if !ok || c.Tag != "Slot" || c.NamespaceURI() != NSRIM {
			continue
		}
		s, err := ReadSlot(c)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// ReadSlot reads one rim:Slot element.
func ReadSlot(e *etree.Element) (Slot, error) {
	return readSlot(e, 0)
}

func readSlot(e *etree.Element, depth int) (Slot, error) {
	if !Is(e, NSRIM, "Slot") {
		return Slot{}, FieldErr("rim:Slot", fmt.Errorf("%w: %s", ErrNamespace, Name(e)))
	}
	name, ok := AttrNS(e, "", "name")
	if !ok || name == "" {
		return Slot{}, FieldErr("rim:Slot/@name", ErrMissing)
	}
	s := Slot{Name: name}
	s.Type, _ = AttrNS(e, "", "type")
	var sv *etree.Element
	for _, t := range e.Child {
		c, ok := t.(*etree.Element)
		if !ok || !Is(c, NSRIM, "SlotValue") {
			continue
		}
		if sv != nil {
			return Slot{}, SlotErr(name, fmt.Errorf("rim:SlotValue: %w", ErrDuplicate))
		}
		sv = c
	}
	if sv == nil {
		return s, nil
	}
	v, err := readValue(sv, depth)
	if err != nil {
		return Slot{}, SlotErr(name, err)
	}
	s.Value = v
	return s, nil
}

// ReadValue reads a rim:SlotValue or rim:Element according to its
// xsi:type, which must be a rim: value type.
func ReadValue(e *etree.Element) (Value, error) { return readValue(e, 0) }

func readValue(e *etree.Element, depth int) (Value, error) {
	field := "rim:" + e.Tag
	if depth > MaxValueDepth {
		return Value{}, FieldErr(field, fmt.Errorf("%w: values nested deeper than %d", ErrInvalid, MaxValueDepth))
	}
	xt, ok := AttrNS(e, NSXSI, "type")
	if !ok {
		return Value{}, FieldErr(field+"/@xsi:type", ErrMissing)
	}
	ns, local, ok := ResolveQName(e, xt)
	if !ok || ns != NSRIM {
		return Value{}, FieldErr(field+"/@xsi:type", fmt.Errorf("%w: %q is not a rim: value type", ErrWrongType, xt))
	}
	v := Value{Kind: Kind(local)}
	switch {
	case v.Kind.simple():
		vals := ChildrenNS(e, NSRIM, "Value")
		if len(vals) > 1 {
			return Value{}, FieldErr(field+"/rim:Value", ErrDuplicate)
		}
		if len(vals) == 1 {
			v.Text = vals[0].Text()
		}
	case v.Kind == KindInternational:
		vals := ChildrenNS(e, NSRIM, "Value")
		if len(vals) > 1 {
			return Value{}, FieldErr(field+"/rim:Value", ErrDuplicate)
		}
		if len(vals) == 1 {
			for _, ls := range ChildrenNS(vals[0], NSRIM, "LocalizedString") {
				val, ok := AttrNS(ls, "", "value")
				if !ok {
					return Value{}, FieldErr(field+"/rim:Value/rim:LocalizedString/@value", ErrMissing)
				}
				lang, _ := AttrNS(ls, NSXML, "lang")
				v.Strings = append(v.Strings, LocalizedString{Lang: lang, Value: val})
			}
		}
	case v.Kind == KindAny:
		for _, c := range e.ChildElements() {
			if v.Any != nil {
				return Value{}, FieldErr(field, fmt.Errorf("%w: AnyValueType holds more than one element", ErrDuplicate))
			}
			v.Any = c
		}
	case v.Kind == KindCollection:
		v.CollectionType, _ = AttrNS(e, "", "collectionType")
		for _, c := range e.ChildElements() {
			if !Is(c, NSRIM, "Element") {
				return Value{}, FieldErr(field, fmt.Errorf("%w: %s in a collection", ErrNamespace, Name(c)))
			}
			ev, err := readValue(c, depth+1)
			if err != nil {
				return Value{}, fmt.Errorf("rim:Element[%d]: %w", len(v.Elements)+1, err)
			}
			v.Elements = append(v.Elements, ev)
		}
	case v.Kind == KindSlot:
		if c := ChildNS(e, NSRIM, "Slot"); c != nil {
			s, err := readSlot(c, depth+1)
			if err != nil {
				return Value{}, err
			}
			v.Slot = &s
		}
	default:
		return Value{}, FieldErr(field+"/@xsi:type", fmt.Errorf("%w: unsupported value type %q", ErrWrongType, xt))
	}
	return v, nil
}

// Find returns the first slot called name, or nil.
func Find(slots []Slot, name string) *Slot {
	for i := range slots {
		if slots[i].Name == name {
			return &slots[i]
		}
	}
	return nil
}

// Lookup returns the slot called name, nil when absent, or an error naming
// the slot when it occurs more than once.
func Lookup(slots []Slot, name string) (*Slot, error) {
	var found *Slot
	for i := range slots {
		if slots[i].Name != name {
			continue
		}
		if found != nil {
			return nil, SlotErr(name, ErrDuplicate)
		}
		found = &slots[i]
	}
	return found, nil
}

// Require is Lookup for a mandatory slot: absence is an error naming it.
func Require(slots []Slot, name string) (*Slot, error) {
	s, err := Lookup(slots, name)
	if err == nil && s == nil {
		err = SlotErr(name, ErrMissing)
	}
	return s, err
}

// StringValue returns the text of a StringValueType slot.
func (s *Slot) StringValue() (string, error) {
	v, err := s.Value.AsString()
	return v, s.wrap(err)
}

// DateTimeValue returns the time of a DateTimeValueType slot.
func (s *Slot) DateTimeValue() (time.Time, error) {
	v, err := s.Value.AsDateTime()
	return v, s.wrap(err)
}

// BoolValue returns the value of a BooleanValueType slot.
func (s *Slot) BoolValue() (bool, error) {
	v, err := s.Value.AsBool()
	return v, s.wrap(err)
}

// InternationalValue returns the strings of an
// InternationalStringValueType slot.
func (s *Slot) InternationalValue() ([]LocalizedString, error) {
	v, err := s.Value.AsInternational()
	return v, s.wrap(err)
}

// AnyValue returns the content element of an AnyValueType slot.
func (s *Slot) AnyValue() (*etree.Element, error) {
	v, err := s.Value.AsAny()
	return v, s.wrap(err)
}

// CollectionValue returns the elements of a CollectionValueType slot.
func (s *Slot) CollectionValue() ([]Value, error) {
	v, err := s.Value.AsCollection()
	return v, s.wrap(err)
}

// AnyElements returns the content elements of an AnyValueType slot or of a
// collection of AnyValueType elements.
func (s *Slot) AnyElements() ([]*etree.Element, error) {
	v, err := s.Value.AnyElements()
	return v, s.wrap(err)
}

func (s *Slot) wrap(err error) error {
	if err == nil {
		return nil
	}
	return SlotErr(s.Name, err)
}

// Build appends s to parent as a rim:Slot element and returns it. The
// element names use the rim: and xsi: prefixes, which the document root must
// declare (see DeclareStandard).
func (s Slot) Build(parent *etree.Element) *etree.Element {
	e := parent.CreateElement("rim:Slot")
	e.CreateAttr("name", s.Name)
	if s.Type != "" {
		e.CreateAttr("type", s.Type)
	}
	if s.Value.Kind != "" {
		s.Value.Build(e, "rim:SlotValue")
	}
	return e
}

// Build appends v to parent as an element named tag ("rim:SlotValue" or
// "rim:Element") with its xsi:type, and returns it.
func (v Value) Build(parent *etree.Element, tag string) *etree.Element {
	e := parent.CreateElement(tag)
	e.CreateAttr("xsi:type", v.Kind.xsiType())
	switch {
	case v.Kind.simple():
		e.CreateElement("rim:Value").SetText(v.Text)
	case v.Kind == KindInternational:
		val := e.CreateElement("rim:Value")
		for _, ls := range v.Strings {
			l := val.CreateElement("rim:LocalizedString")
			if ls.Lang != "" {
				l.CreateAttr("xml:lang", ls.Lang)
			}
			l.CreateAttr("value", ls.Value)
		}
	case v.Kind == KindAny:
		if v.Any != nil {
			e.AddChild(v.Any)
		}
	case v.Kind == KindCollection:
		if v.CollectionType != "" {
			e.CreateAttr("collectionType", v.CollectionType)
		}
		for _, el := range v.Elements {
			el.Build(e, "rim:Element")
		}
	case v.Kind == KindSlot:
		if v.Slot != nil {
			v.Slot.Build(e)
		}
	}
	return e
}
