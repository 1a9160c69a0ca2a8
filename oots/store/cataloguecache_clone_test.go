package store

import (
	"reflect"
	"testing"

	"github.com/vienreiz/vienreiz/catalogue"
)

// TestCloneServiceSharesNothing: cloneService copies catalogue.Service by
// hand, field by field. A map or slice field added to the service (or to
// what it holds) that the copy forgot would be shared with the catalogue
// the store keeps, and a caller changing its copy would change the
// catalogue for every later request. Every map and slice of a service
// filled to its depth must be a different one in the copy.
func TestCloneServiceSharesNothing(t *testing.T) {
	var svc catalogue.Service
	fill(reflect.ValueOf(&svc).Elem())
	shared := sharedParts(reflect.ValueOf(svc), reflect.ValueOf(*cloneService(&svc)), "Service")
	for _, path := range shared {
		t.Errorf("cloneService shares %s with the kept catalogue", path)
	}
}

// fill gives every map one entry and every slice one element, all the way
// down, and every string a value.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem())
		v.Set(p)
	case reflect.String:
		v.SetString("x")
	}
}

// sharedParts lists the maps, slices and pointers of a that b holds too.
func sharedParts(a, b reflect.Value, path string) []string {
	var out []string
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				out = append(out, sharedParts(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)...)
			}
		}
	case reflect.Map:
		if a.UnsafePointer() == b.UnsafePointer() {
			return append(out, path)
		}
		for _, k := range a.MapKeys() {
			out = append(out, sharedParts(a.MapIndex(k), b.MapIndex(k), path+"[…]")...)
		}
	case reflect.Slice, reflect.Pointer:
		if a.UnsafePointer() == b.UnsafePointer() {
			return append(out, path)
		}
		if a.Kind() == reflect.Pointer {
			return sharedParts(a.Elem(), b.Elem(), path)
		}
		for i := range a.Len() {
			out = append(out, sharedParts(a.Index(i), b.Index(i), path+"[…]")...)
		}
	}
	return out
}
