package exchange

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
)

// TestStoredRequestTypesAreTheStoresOwn (issue 15): nothing the store
// keeps of a request is a type of the API, the catalogue or the OOTS
// messages, at any depth, so a field added to one of them cannot change
// what is stored.
func TestStoredRequestTypesAreTheStoresOwn(t *testing.T) {
	foreign := map[string]bool{
		reflect.TypeFor[api.Request]().PkgPath():           true,
		reflect.TypeFor[catalogue.Provider]().PkgPath():    true,
		reflect.TypeFor[commonsvc.DataService]().PkgPath(): true,
	}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, path string) []string
	walk = func(t reflect.Type, path string) []string {
		if seen[t] {
			return nil
		}
		seen[t] = true
		var bad []string
		if foreign[t.PkgPath()] {
			bad = append(bad, path+" is "+t.String())
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			bad = append(bad, walk(t.Elem(), path)...)
		case reflect.Map:
			bad = append(bad, walk(t.Key(), path+" (key)")...)
			bad = append(bad, walk(t.Elem(), path+" (value)")...)
		case reflect.Struct:
			for i := range t.NumField() {
				if f := t.Field(i); f.IsExported() { // only exported fields are stored
					bad = append(bad, walk(f.Type, path+"."+f.Name)...)
				}
			}
		}
		return bad
	}
	for _, b := range walk(reflect.TypeFor[requestDoc](), "requestDoc") {
		t.Errorf("the stored request holds an outside type: %s; give the store its own type, mapped in requestdoc.go", b)
	}
}

// TestStoredRequestV2RowReadsAsBefore (issue 15): a version 2 row with
// every field set, as the program wrote it before the nested values got
// storage types of their own (testdata/request-v2.json, made then, with
// the API request it showed: request-v2-api.json), reads to the same
// request and is written back in the same JSON, key for key: the nested
// types changed no stored shape, so the version stays 2.
func TestStoredRequestV2RowReadsAsBefore(t *testing.T) {
	row := readTestdata(t, "request-v2.json")
	doc, err := readRequestDoc(row)
	if err != nil {
		t.Fatal(err)
	}
	var want api.Request
	if err := json.Unmarshal(readTestdata(t, "request-v2-api.json"), &want); err != nil {
		t.Fatal(err)
	}
	if got := doc.Facts.toAPI(); !reflect.DeepEqual(got, want) {
		t.Errorf("the v2 row reads differently:\n got %+v\nwant %+v", got, want)
	}
	written, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got, was any
	if err := json.Unmarshal(written, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(row, &was); err != nil {
		t.Fatal(err)
	}
	for _, p := range missing(was, got, "doc") {
		t.Errorf("the v2 row is written back without %s as it was", p)
	}
	for _, p := range missing(got, was, "doc") {
		t.Errorf("the v2 row is written back with %s, which it had not", p)
	}
	if t.Failed() {
		t.Log("the stored shape changed: keep version 2 rows reading (readRequestDoc) and bump requestDocVersion")
	}
}

// TestStoredRequestMapsEveryField: every stored fact, at any depth,
// reaches the API's request under the same JSON name with the same value.
func TestStoredRequestMapsEveryField(t *testing.T) {
	facts := filled[requestFacts]()
	stored, err := json.Marshal(facts)
	if err != nil {
		t.Fatal(err)
	}
	shown, err := json.Marshal(facts.toAPI())
	if err != nil {
		t.Fatal(err)
	}
	var s, a map[string]any
	if err := json.Unmarshal(stored, &s); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(shown, &a); err != nil {
		t.Fatal(err)
	}
	for _, miss := range missing(s, a, "facts") {
		t.Errorf("the API's request does not show the stored %s", miss)
	}
}

// TestStoredDataServiceKeepsEverything: the directory's data service and
// texts, kept to address the QueryRequest, come back as they were.
func TestStoredDataServiceKeepsEverything(t *testing.T) {
	ds := filled[commonsvc.DataService]()
	if got := storedDataServiceOf(ds).toMessage(); !reflect.DeepEqual(got, ds) {
		t.Errorf("the data service comes back as\n%+v\nwant\n%+v", got, ds)
	}
	texts := filled[commonsvc.Texts]()
	if got := messageTexts(storedTexts(texts)); !reflect.DeepEqual(got, texts) {
		t.Errorf("the texts come back as %+v, want %+v", got, texts)
	}
}

// missing lists what of stored (decoded JSON) is not the same in shown.
func missing(stored, shown any, path string) []string {
	switch s := stored.(type) {
	case map[string]any:
		m, _ := shown.(map[string]any)
		var out []string
		for k, v := range s {
			out = append(out, missing(v, m[k], path+"."+k)...)
		}
		return out
	case []any:
		l, _ := shown.([]any)
		if len(l) != len(s) {
			return []string{path}
		}
		var out []string
		for i := range s {
			out = append(out, missing(s[i], l[i], path)...)
		}
		return out
	default:
		if !reflect.DeepEqual(stored, shown) {
			return []string{path}
		}
		return nil
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// filled returns a T with every exported field set, down to the leaves,
// to a value naming its path: strings, numbers, flags, times, one map
// entry and one slice element each, so a field left out anywhere (by a
// mapping, or by the stored JSON) shows.
func filled[T any]() T {
	var v T
	n := 0
	fill(reflect.ValueOf(&v).Elem(), "x", &n)
	return v
}

var timeType = reflect.TypeFor[time.Time]()

func fill(v reflect.Value, path string, n *int) {
	*n++
	if v.Type() == timeType {
		v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(*n) * time.Minute)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(path)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), path, n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), path+"[0]", n)
	case reflect.Map:
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, path+".key", n)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, path+".value", n)
		v.Set(reflect.MakeMap(v.Type()))
		v.SetMapIndex(k, e)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				fill(v.Field(i), path+"."+f.Name, n)
			}
		}
	}
}
