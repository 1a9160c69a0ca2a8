package edm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// TestCodesMatchCodeList: the typed constants are exactly the rows of the
// official EDMErrorCodes code list, with its names and exception types.
func TestCodesMatchCodeList(t *testing.T) {
	path := filepath.Join(spectest.Dir(t), "codelists", "v1.0", "OOTS", "EDMErrorCodes-CodeList.gc")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The official file is not well-formed (SOURCES.md, "Known defects"):
	// one closing tag lost its "<". Repair that one spot in memory.
	fixed := strings.Replace(string(data), "QueryRequest/SimpleValue>", "QueryRequest</SimpleValue>", 1)
	doc := etree.NewDocument()
	if err := doc.ReadFromString(fixed); err != nil {
		t.Fatalf("code list still malformed: %v", err)
	}
	rows := doc.FindElements("//SimpleCodeList/Row")
	if len(rows) != len(Codes()) {
		t.Fatalf("code list has %d rows, package has %d codes", len(rows), len(Codes()))
	}
	for i, row := range rows {
		col := map[string]string{}
		for _, v := range row.SelectElements("Value") {
			col[v.SelectAttrValue("ColumnRef", "")] = strings.TrimSpace(v.FindElement("SimpleValue").Text())
		}
		c := ErrorCode(col["code"])
		if c != Codes()[i] {
			t.Errorf("row %d: code %s, Codes()[%d] = %s", i+1, c, i, Codes()[i])
		}
		if !c.Known() || c.Name() != col["name-Value"] || string(c.ExceptionType()) != col["name-Type"] {
			t.Errorf("%s: package has %q / %q, code list %q / %q", c, c.Name(), c.ExceptionType(), col["name-Value"], col["name-Type"])
		}
	}
	if ErrorCode("EDM:ERR:0000").Known() || ErrorCode("x").ExceptionType() != regrep.RegistryException {
		t.Error("unknown codes are reported as known")
	}
}
