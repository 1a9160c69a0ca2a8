package regrep

import (
	"fmt"
	"strconv"
	"time"

	"github.com/beevik/etree"
)

// Kind names a RegRep slot value type (the local part of its xsi:type).
type Kind string

// Slot value kinds used by OOTS.
const (
	KindString        Kind = "StringValueType"
	KindDateTime      Kind = "DateTimeValueType"
	KindBoolean       Kind = "BooleanValueType"
	KindInteger       Kind = "IntegerValueType"
	KindFloat         Kind = "FloatValueType"
	KindDuration      Kind = "DurationValueType"
	KindInternational Kind = "InternationalStringValueType"
	KindAny           Kind = "AnyValueType"
	KindCollection    Kind = "CollectionValueType"
	KindSlot          Kind = "SlotValueType"
)

// simple reports whether k carries a single rim:Value text.
func (k Kind) simple() bool {
	switch k {
	case KindString, KindDateTime, KindBoolean, KindInteger, KindFloat, KindDuration:
		return true
	}
	return false
}

// xsiType returns the xsi:type attribute value written for k, as a
// constant for the common kinds (building it per value showed in profiles).
func (k Kind) xsiType() string {
	switch k {
	case KindString:
		return "rim:" + string(KindString)
	case KindDateTime:
		return "rim:" + string(KindDateTime)
	case KindBoolean:
		return "rim:" + string(KindBoolean)
	case KindInternational:
		return "rim:" + string(KindInternational)
	case KindAny:
		return "rim:" + string(KindAny)
	case KindCollection:
		return "rim:" + string(KindCollection)
	}
	return "rim:" + string(k)
}

// Collection types (the collectionType attribute of CollectionValueType).
const (
	CollectionSet  = "urn:oasis:names:tc:ebxml-regrep:CollectionType:Set"
	CollectionBag  = "urn:oasis:names:tc:ebxml-regrep:CollectionType:Bag"
	CollectionList = "urn:oasis:names:tc:ebxml-regrep:CollectionType:List"
)

// LocalizedString is one language variant of an international string.
type LocalizedString struct {
	Lang  string // xml:lang, e.g. "EN"
	Value string
}

// Value is a slot value (rim:SlotValue) or a collection element
// (rim:Element). Which fields are used depends on Kind:
// the simple kinds use Text, KindInternational uses Strings, KindAny uses
// Any, KindCollection uses CollectionType and Elements, KindSlot uses Slot.
type Value struct {
	Kind           Kind
	Text           string            // rim:Value of the simple kinds
	Strings        []LocalizedString // KindInternational
	Any            *etree.Element    // KindAny: the single content element
	CollectionType string            // KindCollection; "" = not written
	Elements       []Value           // KindCollection
	Slot           *Slot             // KindSlot
}

// String returns a StringValueType value.
func String(s string) Value { return Value{Kind: KindString, Text: s} }

// DateTime returns a DateTimeValueType value in RFC 3339 with milliseconds
// ("2006-01-02T15:04:05.000Z" for UTC), the form the OOTS samples use.
func DateTime(t time.Time) Value {
	return Value{Kind: KindDateTime, Text: FormatDateTime(t)}
}

// FormatDateTime formats t as an xsd:dateTime with milliseconds, in t's own
// offset: a parsed value is written back with the offset it was read with
// (Z for UTC). Builders pass UTC times.
func FormatDateTime(t time.Time) string {
	return t.Format("2006-01-02T15:04:05.000Z07:00")
}

// Bool returns a BooleanValueType value.
func Bool(b bool) Value { return Value{Kind: KindBoolean, Text: strconv.FormatBool(b)} }

// International returns an InternationalStringValueType value.
func International(ls ...LocalizedString) Value {
	return Value{Kind: KindInternational, Strings: ls}
}

// Any returns an AnyValueType value holding e (written as is).
func Any(e *etree.Element) Value { return Value{Kind: KindAny, Any: e} }

// Collection returns a CollectionValueType value; collectionType may be "".
func Collection(collectionType string, elems ...Value) Value {
	return Value{Kind: KindCollection, CollectionType: collectionType, Elements: elems}
}

// kindErr describes a value of another kind than want; a zero Kind means
// the slot had no rim:SlotValue at all.
func (v Value) kindErr(want Kind) error {
	if v.Kind == "" {
		return fmt.Errorf("rim:SlotValue: %w", ErrMissing)
	}
	return fmt.Errorf("%w: want %s, have %s", ErrWrongType, want, v.Kind)
}

// AsString returns the text of a StringValueType value.
func (v Value) AsString() (string, error) {
	if v.Kind != KindString {
		return "", v.kindErr(KindString)
	}
	return v.Text, nil
}

// AsDateTime parses a DateTimeValueType value as xsd:dateTime.
func (v Value) AsDateTime() (time.Time, error) {
	if v.Kind != KindDateTime {
		return time.Time{}, v.kindErr(KindDateTime)
	}
	return ParseDateTime(v.Text)
}

// ParseDateTime parses an xsd:dateTime. A missing time zone is read as UTC.
func ParseDateTime(s string) (time.Time, error) {
	for _, layout := range [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q is not an xsd:dateTime", ErrInvalid, s)
}

// AsBool parses a BooleanValueType value (true, false, 1, 0).
func (v Value) AsBool() (bool, error) {
	if v.Kind != KindBoolean {
		return false, v.kindErr(KindBoolean)
	}
	switch v.Text {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("%w: %q is not an xsd:boolean", ErrInvalid, v.Text)
}

// AsInternational returns the strings of an InternationalStringValueType.
func (v Value) AsInternational() ([]LocalizedString, error) {
	if v.Kind != KindInternational {
		return nil, v.kindErr(KindInternational)
	}
	return v.Strings, nil
}

// AsAny returns the content element of an AnyValueType value.
func (v Value) AsAny() (*etree.Element, error) {
	if v.Kind != KindAny {
		return nil, v.kindErr(KindAny)
	}
	if v.Any == nil {
		return nil, fmt.Errorf("%w: AnyValueType without content element", ErrMissing)
	}
	return v.Any, nil
}

// AsCollection returns the elements of a CollectionValueType value.
func (v Value) AsCollection() ([]Value, error) {
	if v.Kind != KindCollection {
		return nil, v.kindErr(KindCollection)
	}
	return v.Elements, nil
}

// AnyElements returns the content elements of v when v is an AnyValueType,
// or of every AnyValueType element when v is a collection. OOTS writes some
// slots (EvidenceRequester, EvidenceProvider) either way, so readers of
// those slots accept both.
func (v Value) AnyElements() ([]*etree.Element, error) {
	switch v.Kind {
	case KindAny:
		e, err := v.AsAny()
		if err != nil {
			return nil, err
		}
		return []*etree.Element{e}, nil
	case KindCollection:
		out := make([]*etree.Element, 0, len(v.Elements))
		for i, el := range v.Elements {
			e, err := el.AsAny()
			if err != nil {
				return nil, fmt.Errorf("rim:Element[%d]: %w", i+1, err)
			}
			out = append(out, e)
		}
		return out, nil
	}
	if v.Kind == "" {
		return nil, v.kindErr(KindAny)
	}
	return nil, fmt.Errorf("%w: want %s or %s, have %s", ErrWrongType, KindAny, KindCollection, v.Kind)
}
