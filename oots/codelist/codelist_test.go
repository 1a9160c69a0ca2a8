package codelist

import (
	"strings"
	"testing"
)

// Every embedded list parses, holds its known codes and refuses look-alikes.
func TestOfficialLists(t *testing.T) {
	cases := []struct {
		list     func() *List
		has, not []string
		min      int
	}{
		{LevelsOfAssurance, []string{"Low", "Substantial", "High"}, []string{"Medium", "high"}, 3},
		{Procedures, []string{"R1", "T1", "X6"}, []string{"ZZ"}, 21},
		{MediaTypes, []string{"application/pdf", "application/xml", "image/jpeg"}, []string{"application/msword"}, 5},
		{IdentifierSchemes, []string{"VAT", "LEI", "EORI"}, []string{"vat", "eidas"}, 7},
		{AgentClassification, []string{"ER", "EP", "IP", "ERRP"}, []string{"XY"}, 4},
		{ErrorSeverity, []string{"urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"}, []string{"Error"}, 2},
		{EDMErrorCodes, []string{"EDM:ERR:0001", "EDM:ERR:0008"}, []string{"EDM:ERR:0009"}, 8},
		{EBErrorCodes, []string{"EB:ERR:0001"}, []string{"EDM:ERR:0001"}, 3},
		{DSDErrorCodes, []string{"DSD:ERR:0005"}, []string{"DSD:ERR:0099"}, 5},
		{LCMErrorCodes, nil, []string{"x"}, 2},
		{JurisdictionLevel, nil, []string{"x"}, 2},
		{Countries, []string{"LV", "EE", "FI", "EL", "DE"}, []string{"XX", "GR", "lv"}, 200},
		{EAS, []string{"9930", "0204"}, []string{"9999"}, 50},
		{Languages, []string{"EN", "LV"}, []string{"XX"}, 100},
	}
	for _, c := range cases {
		l := c.list()
		if len(l.Codes()) < c.min {
			t.Errorf("%s: %d codes, want ≥ %d", l.Name, len(l.Codes()), c.min)
		}
		for _, code := range c.has {
			if !l.Has(code) {
				t.Errorf("%s: %q missing", l.Name, code)
			}
		}
		for _, code := range c.not {
			if l.Has(code) {
				t.Errorf("%s: %q accepted", l.Name, code)
			}
		}
	}
	if got := EDMErrorCodes().Column("EDM:ERR:0002", "name-Type"); got != "rs:AuthorizationExceptionType" {
		t.Errorf("EDM:ERR:0002 type %q", got)
	}
	// the official file's unbalanced end tag costs the last row nothing but its name's tail
	if got := EDMErrorCodes().Column("EDM:ERR:0008", "name-Type"); got != "query:QueryExceptionType" {
		t.Errorf("EDM:ERR:0008 type %q", got)
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"", "<x/>", `<gc:CodeList xmlns:gc="g"><ColumnSet/></gc:CodeList>`,
		`<gc:CodeList xmlns:gc="g"><ColumnSet><Key><ColumnRef Ref="code"/></Key></ColumnSet><SimpleCodeList/></gc:CodeList>`} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("%q: accepted", in)
		} else if !strings.Contains(err.Error(), "code list") {
			t.Errorf("%q: error %v does not say what failed", in, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`<gc:CodeList xmlns:gc="g"><ColumnSet><Key><ColumnRef Ref="code"/></Key></ColumnSet><SimpleCodeList><Row><Value ColumnRef="code"><SimpleValue>A</SimpleValue></Value></Row></SimpleCodeList></gc:CodeList>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data)
		if err == nil && len(l.Codes()) == 0 {
			t.Fatal("a list without codes was accepted")
		}
	})
}
