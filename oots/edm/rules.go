package edm

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/codelist"
	"github.com/vienreiz/vienreiz/oots/eidas"
)

// RuleError says a value breaks an OOTS business rule: a code list, an
// identifier or a date format. Build refuses to write such a message and
// Parse refuses to read one; the provider answers the request with
// EDM:ERR:0003 and the requester records the answer as undeliverable, both
// naming Rule. It wraps ErrInvalid.
type RuleError struct {
	Field  string // where, e.g. "NaturalPerson/sdg:LevelOfAssurance"
	Rule   string // the official rule id of oots-edm:v1.0, e.g. "R-EDM-REQ-C037"
	Value  string
	Reason string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("%s: %q breaks %s: %s", e.Field, e.Value, e.Rule, e.Reason)
}

func (e *RuleError) Unwrap() error { return ErrInvalid }

// rules collects the first broken rule of a message.
type rules struct{ err *RuleError }

func (c *rules) fail(field, rule, value, reason string) {
	if c.err == nil {
		c.err = &RuleError{Field: field, Rule: rule, Value: value, Reason: reason}
	}
}

func (c *rules) result() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

// inList checks an optional value against a code list.
func (c *rules) inList(field, rule, value string, list func() *codelist.List) {
	if value != "" && !list().Has(value) {
		c.fail(field, rule, value, "not in the code list "+list().Name)
	}
}

var (
	uuidRE    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	uuidURNRE = regexp.MustCompile(`^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

func (c *rules) uuidURN(field, rule, value string) {
	if !uuidURNRE.MatchString(value) {
		c.fail(field, rule, value, "not urn:uuid:<RFC 4122 UUID>")
	}
}

func (c *rules) uuid(field, rule, value string) {
	if !uuidRE.MatchString(strings.TrimPrefix(value, "urn:uuid:")) {
		c.fail(field, rule, value, "not an RFC 4122 UUID")
	}
}

// date checks an optional xsd:date: YYYY-MM-DD and a real day.
func (c *rules) date(field, rule, value string) {
	if value == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, value); err != nil {
		c.fail(field, rule, value, "not a date YYYY-MM-DD (xsd:date)")
	}
}

const (
	easPrefix        = "urn:cef.eu:names:identifier:EAS:"
	unregisteredType = "urn:oasis:names:tc:ebcore:partyid-type:unregistered"
)

// agentScheme checks an agent identifier's schemeID: present (rule
// present) and an EAS code or an unregistered party type (rule list).
func (c *rules) agentScheme(field, present, list string, id Identifier) {
	s := id.SchemeID
	switch {
	case s == "":
		c.fail(field+"/@schemeID", present, s, "schemeID missing")
	case strings.HasPrefix(s, unregisteredType):
	case !strings.HasPrefix(s, easPrefix) || !codelist.EAS().Has(strings.TrimPrefix(s, easPrefix)):
		c.fail(field+"/@schemeID", list, s, "want "+easPrefix+"<code of the EAS list> or "+unregisteredType+"…")
	}
}

// eidasID checks an optional eIDAS identifier and its schemeID "eidas".
func (c *rules) eidasID(field, format, schemePresent, schemeFixed string, id Identifier) {
	if id.Value == "" {
		return
	}
	if _, err := eidas.ParseID(id.Value); err != nil {
		c.fail(field, format, id.Value, err.Error())
	}
	switch {
	case id.SchemeID == "" && schemePresent != "":
		c.fail(field+"/@schemeID", schemePresent, "", "schemeID missing")
	case id.SchemeID != "eidas":
		c.fail(field+"/@schemeID", schemeFixed, id.SchemeID, `want "eidas"`)
	}
}

func (c *rules) address(field, rule string, a *Address) {
	if a != nil {
		c.inList(field+"/sdg:AdminUnitLevel1", rule, a.AdminUnitLevel1, codelist.Countries)
	}
}

func (c *rules) langs(field, rule string, ts []Text) {
	for _, t := range ts {
		c.inList(field+"/@lang", rule, strings.ToUpper(t.Lang), codelist.Languages)
	}
}

// personRules are the rule ids for one sdg:Person slot of a request.
type personRules struct {
	slot                                           string
	loaPresent, loaList, idFormat, idScheme, idEid string
	dob, country                                   string
}

var (
	naturalPersonRules  = personRules{"NaturalPerson", "R-EDM-REQ-C036", "R-EDM-REQ-C037", "R-EDM-REQ-C039", "R-EDM-REQ-C041", "R-EDM-REQ-C042", "R-EDM-REQ-C043", "R-EDM-REQ-C045"}
	representativeRules = personRules{"AuthorizedRepresentative", "R-EDM-REQ-C058", "R-EDM-REQ-C059", "R-EDM-REQ-C061", "R-EDM-REQ-C062", "R-EDM-REQ-C063", "R-EDM-REQ-C064", "R-EDM-REQ-C067"}
)

func (c *rules) person(r personRules, p *Person) {
	if p == nil {
		return
	}
	f := r.slot + "/sdg:Person"
	if p.LevelOfAssurance == "" {
		c.fail(f+"/sdg:LevelOfAssurance", r.loaPresent, "", "LevelOfAssurance missing")
	}
	c.inList(f+"/sdg:LevelOfAssurance", r.loaList, p.LevelOfAssurance, codelist.LevelsOfAssurance)
	c.eidasID(f+"/sdg:Identifier", r.idFormat, r.idScheme, r.idEid, p.Identifier)
	c.date(f+"/sdg:DateOfBirth", r.dob, p.DateOfBirth)
	c.address(f+"/sdg:CurrentAddress", r.country, p.CurrentAddress)
}

// checkRules checks the request against the code lists and formats of the
// OOTS business rules.
func (r *QueryRequest) checkRules() error {
	var c rules
	c.uuidURN("query:QueryRequest/@id", "R-EDM-REQ-S004", r.ID)
	if p := r.Procedure; p != nil {
		c.inList("Procedure", "R-EDM-REQ-C003", p.Code, codelist.Procedures)
		c.inList("Procedure/@xml:lang", "R-EDM-REQ-C004", strings.ToUpper(p.Lang), codelist.Languages)
	}
	for i := range r.EvidenceRequesters {
		a := &r.EvidenceRequesters[i]
		f := "EvidenceRequester/sdg:Agent"
		c.agentScheme(f+"/sdg:Identifier", "R-EDM-REQ-C010", "R-EDM-REQ-C012", a.Identifier)
		if a.Classification == "" {
			c.fail(f+"/sdg:Classification", "R-EDM-REQ-C013", "", "Classification missing")
		}
		c.inList(f+"/sdg:Classification", "R-EDM-REQ-C014", a.Classification, codelist.AgentClassification)
		c.address(f+"/sdg:Address", "R-EDM-REQ-C015", a.Address)
	}
	c.agentScheme("EvidenceProvider/sdg:Agent/sdg:Identifier", "R-EDM-REQ-C017", "R-EDM-REQ-C018", r.EvidenceProvider.Identifier)
	et := &r.EvidenceRequest
	c.langs("EvidenceRequest/sdg:Title", "R-EDM-REQ-C028", et.Titles)
	c.langs("EvidenceRequest/sdg:Description", "R-EDM-REQ-C030", et.Descriptions)
	c.inList("EvidenceRequest/sdg:DistributedAs/sdg:Format", "R-EDM-REQ-C033", et.DistributedAs.Format, codelist.MediaTypes)
	c.person(naturalPersonRules, r.NaturalPerson)
	c.person(representativeRules, r.AuthorizedRepresentative)
	if lp := r.LegalPerson; lp != nil {
		f := "LegalPerson/sdg:LegalPerson"
		if lp.LevelOfAssurance == "" {
			c.fail(f+"/sdg:LevelOfAssurance", "R-EDM-REQ-C047", "", "LevelOfAssurance missing")
		}
		c.inList(f+"/sdg:LevelOfAssurance", "R-EDM-REQ-C048", lp.LevelOfAssurance, codelist.LevelsOfAssurance)
		c.eidasID(f+"/sdg:LegalPersonIdentifier", "R-EDM-REQ-C050", "R-EDM-REQ-C052", "R-EDM-REQ-C053", lp.LegalPersonIdentifier)
		for _, id := range lp.Identifiers {
			if id.SchemeID == "" {
				c.fail(f+"/sdg:Identifier/@schemeID", "R-EDM-REQ-C054", "", "schemeID missing")
			}
		}
		c.address(f+"/sdg:RegisteredAddress", "R-EDM-REQ-C056", lp.RegisteredAddress)
	}
	return c.result()
}

// checkRules checks the response against the code lists and formats of
// the OOTS business rules.
func (r *QueryResponse) checkRules() error {
	var c rules
	c.uuidURN("query:QueryResponse/@requestId", "R-EDM-RESP-S004", r.RequestID)
	c.uuid("EvidenceResponseIdentifier", "R-EDM-RESP-C003", r.ResponseID)
	for i := range r.EvidenceProviders {
		a := &r.EvidenceProviders[i]
		f := "EvidenceProvider/sdg:Agent"
		c.agentScheme(f+"/sdg:Identifier", "R-EDM-RESP-C006", "R-EDM-RESP-C007", a.Identifier)
		c.address(f+"/sdg:Address", "R-EDM-RESP-C008", a.Address)
		if a.Classification == "" {
			c.fail(f+"/sdg:Classification", "R-EDM-RESP-C010", "", "Classification missing")
		}
		c.inList(f+"/sdg:Classification", "R-EDM-RESP-C011", a.Classification, codelist.AgentClassification)
	}
	c.agentScheme("EvidenceRequester/sdg:Agent/sdg:Identifier", "R-EDM-RESP-C012", "R-EDM-RESP-C013", r.EvidenceRequester.Identifier)
	for i := range r.Evidence {
		item := &r.Evidence[i]
		ev := &item.Metadata
		f := "EvidenceMetadata/sdg:Evidence"
		c.uuidURN("rim:RegistryObject/@id", "R-EDM-RESP-S037", item.ID)
		c.uuid(f+"/sdg:Identifier", "R-EDM-RESP-C015", ev.Identifier)
		c.date(f+"/sdg:IssuingDate", "R-EDM-RESP-C016", ev.IssuingDate)
		c.langs(f+"/sdg:IsConformantTo/sdg:Title", "R-EDM-RESP-C018", ev.IsConformantTo.Titles)
		c.langs(f+"/sdg:IsConformantTo/sdg:Description", "R-EDM-RESP-C020", ev.IsConformantTo.Descriptions)
		c.inList(f+"/sdg:Distribution/sdg:Format", "R-EDM-RESP-C023", ev.Distribution.Format, codelist.MediaTypes)
		for _, l := range ev.Distribution.Languages {
			c.inList(f+"/sdg:Distribution/sdg:Language", "R-EDM-RESP-C026", strings.ToUpper(l), codelist.Languages)
		}
		if p := ev.NaturalPerson; p != nil {
			c.eidasID(f+"/sdg:IsAbout/sdg:NaturalPerson/sdg:Identifier", "R-EDM-RESP-C028", "R-EDM-RESP-C030", "R-EDM-RESP-C031", p.Identifier)
			c.date(f+"/sdg:IsAbout/sdg:NaturalPerson/sdg:DateOfBirth", "R-EDM-RESP-C032", p.DateOfBirth)
		}
		if lp := ev.LegalPerson; lp != nil {
			c.eidasID(f+"/sdg:IsAbout/sdg:LegalPerson/sdg:LegalPersonIdentifier", "R-EDM-RESP-C034", "R-EDM-RESP-C036", "R-EDM-RESP-C037", lp.LegalPersonIdentifier)
		}
		c.agentScheme(f+"/sdg:IssuingAuthority/sdg:Identifier", "R-EDM-RESP-C038", "R-EDM-RESP-C039", ev.IssuingAuthority.Identifier)
		if vp := ev.ValidityPeriod; vp != nil {
			c.date(f+"/sdg:ValidityPeriod/sdg:StartDate", "R-EDM-RESP-C040", vp.StartDate)
			c.date(f+"/sdg:ValidityPeriod/sdg:EndDate", "R-EDM-RESP-C041", vp.EndDate)
		}
	}
	return c.result()
}

// checkRules checks the error response against the code lists and formats
// of the OOTS business rules.
func (r *ExceptionResponse) checkRules() error {
	var c rules
	if r.RequestID != "" {
		c.uuidURN("query:QueryResponse/@requestId", "R-EDM-ERR-S004", r.RequestID)
	}
	c.uuid("EvidenceResponseIdentifier", "R-EDM-ERR-C002", r.ResponseID)
	a := &r.ErrorProvider
	f := "ErrorProvider/sdg:Agent"
	c.agentScheme(f+"/sdg:Identifier", "R-EDM-ERR-C003", "R-EDM-ERR-C004", a.Identifier)
	c.address(f+"/sdg:Address", "R-EDM-ERR-C005", a.Address)
	if a.Classification == "" {
		c.fail(f+"/sdg:Classification", "R-EDM-ERR-C007", "", "Classification missing")
	}
	if cl := a.Classification; cl != "" && (cl == ClassEvidenceRequester || !codelist.AgentClassification().Has(cl)) {
		c.fail(f+"/sdg:Classification", "R-EDM-ERR-C008", cl, "want IP, EP or ERRP")
	}
	c.agentScheme("EvidenceRequester/sdg:Agent/sdg:Identifier", "R-EDM-ERR-C009", "R-EDM-ERR-C010", r.EvidenceRequester.Identifier)
	c.inList("rs:Exception/@code", "R-EDM-ERR-C017", string(r.Exception.Code), codelist.EDMErrorCodes)
	return c.result()
}
