package exchange

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
)

// TestOpenAPIListsExactlyTheRoutes keeps the OpenAPI document true: every
// route the API serves is documented and every documented operation is
// served, with its $refs resolvable.
func TestOpenAPIListsExactlyTheRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	var served []string
	for _, rt := range (&restAPI{}).routes() {
		served = append(served, rt.pattern)
	}
	sort.Strings(documented)
	sort.Strings(served)
	if !reflect.DeepEqual(documented, served) {
		t.Fatalf("documented %v\nserved     %v", documented, served)
	}
	var all map[string]any
	_ = json.Unmarshal(OpenAPI(), &all)
	for _, ref := range regexp.MustCompile(`"\$ref":\s*"#/([^"]+)"`).FindAllStringSubmatch(string(OpenAPI()), -1) {
		var node any = all
		for _, part := range strings.Split(ref[1], "/") {
			m, ok := node.(map[string]any)
			if !ok || m[part] == nil {
				t.Fatalf("$ref #/%s does not resolve", ref[1])
			}
			node = m[part]
		}
	}
}

// TestOpenAPIServiceSchemaMatchesTheWireType checks that the documented
// properties of Service are the JSON fields the service sends.
func TestOpenAPIServiceSchemaMatchesTheWireType(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{
		"Service": catalogue.Service{}, "ServiceList": api.ServiceList{}, "Health": api.Health{}, "Facets": catalogue.Facets{},
		"NewRequest": api.NewRequest{}, "Attributes": api.Attributes{}, "Request": api.Request{}, "RequestList": api.RequestList{},
		"Step": api.Step{}, "Question": api.Question{}, "RequestProvider": api.Provider{}, "EvidenceType": api.EvidenceType{},
		"Event": api.Event{}, "StatusChange": api.StatusChange{}, "Decision": api.Decision{}, "Preview": api.Preview{}, "PreviewField": api.PreviewField{}, "EvidenceFile": api.EvidenceFile{},
		"Document": api.Document{}, "DocumentList": api.DocumentList{}, "EvidenceAsk": api.EvidenceAsk{}, "LedgerEntry": api.LedgerEntry{}, "LedgerTrail": api.LedgerTrail{},
	} {
		var fields []string
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			fields = append(fields, tag)
		}
		var props []string
		for p := range doc.Components.Schemas[name].Properties {
			props = append(props, p)
		}
		sort.Strings(fields)
		sort.Strings(props)
		if !reflect.DeepEqual(fields, props) {
			t.Errorf("%s: wire fields %v, documented %v", name, fields, props)
		}
	}
}

func TestOpenAPIIsServed(t *testing.T) {
	h := NewHandler(HandlerConfig{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 || string(body) != string(OpenAPI()) {
		t.Fatalf("GET /openapi.json: %d", rec.Code)
	}
}
