package regrep

import "github.com/beevik/etree"

// StartAnySlot appends a rim:Slot called name with an empty AnyValueType
// rim:SlotValue to parent and returns the rim:SlotValue; the caller appends
// the content element to it. It avoids building the content detached and
// moving it, which matters when messages are built at high rates.
func StartAnySlot(parent *etree.Element, name string) *etree.Element {
	s := parent.CreateElement("rim:Slot")
	s.CreateAttr("name", name)
	v := s.CreateElement("rim:SlotValue")
	v.CreateAttr("xsi:type", "rim:"+string(KindAny))
	return v
}

// StartCollectionSlot appends a rim:Slot called name with an empty
// CollectionValueType rim:SlotValue (collectionType omitted when "") and
// returns the rim:SlotValue; add elements with AddAnyElement.
func StartCollectionSlot(parent *etree.Element, name, collectionType string) *etree.Element {
	s := parent.CreateElement("rim:Slot")
	s.CreateAttr("name", name)
	v := s.CreateElement("rim:SlotValue")
	v.CreateAttr("xsi:type", "rim:"+string(KindCollection))
	if collectionType != "" {
		v.CreateAttr("collectionType", collectionType)
	}
	return v
}

// AddAnyElement appends an AnyValueType rim:Element to a collection value
// and returns it; the caller appends the content element to it.
func AddAnyElement(collection *etree.Element) *etree.Element {
	e := collection.CreateElement("rim:Element")
	e.CreateAttr("xsi:type", "rim:"+string(KindAny))
	return e
}
