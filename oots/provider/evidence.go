package provider

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// Field is one item of evidence as the preview space shows it.
type Field struct {
	Name       string `json:"name"`
	Value      string `json:"value"`
	Source     string `json:"source"`
	LegalBasis string `json:"legalBasis"`
}

// errUnknownSubject means the demo registers hold no record of the
// subject (EDM:ERR:0004).
var errUnknownSubject = errors.New("no record of the subject")

// document is one generated evidence: its fields, the bytes in the
// delivered format, and the metadata the response carries.
type document struct {
	ID          string // evidence identifier, a UUID derived from subject and type
	Title       string
	Format      string // media type of Data
	ConformsTo  string
	IssuingDate string
	Fields      []Field
	Data        []byte
}

// evidenceKind is the family of a demo evidence type, which decides its
// fields.
type evidenceKind int

const (
	kindGeneric evidenceKind = iota
	kindBirth
	kindResidence
	kindEducation
	kindIncome
	kindTax
	kindVehicle
	kindCompany
	kindSocial
	kindHealth
)

// kindOf guesses the kind from the English title of the type.
func kindOf(title string) evidenceKind {
	t := strings.ToLower(title)
	for _, k := range []struct {
		words []string
		kind  evidenceKind
	}{
		{[]string{"birth"}, kindBirth},
		{[]string{"company", "business", "commercial", "enterprise", "trade register", "handelsregister"}, kindCompany},
		{[]string{"residen", "address", "meldebescheinigung"}, kindResidence},
		{[]string{"diploma", "certificate of secondary", "secondary", "tertiary", "education"}, kindEducation},
		{[]string{"tax"}, kindTax},
		{[]string{"income", "salary"}, kindIncome},
		{[]string{"vehicle"}, kindVehicle},
		{[]string{"pension", "social", "contribution"}, kindSocial},
		{[]string{"health", "insurance"}, kindHealth},
	} {
		for _, w := range k.words {
			if strings.Contains(t, w) {
				return k.kind
			}
		}
	}
	return kindGeneric
}

// subjectKey returns the identifier of the evidence subject, "" when the
// request carries none.
func subjectKey(req *edm.QueryRequest) string {
	switch {
	case req.NaturalPerson != nil:
		return strings.TrimSpace(req.NaturalPerson.Identifier.Value)
	case req.LegalPerson != nil:
		if v := strings.TrimSpace(req.LegalPerson.LegalPersonIdentifier.Value); v != "" {
			return v
		}
		for _, id := range req.LegalPerson.Identifiers {
			if v := strings.TrimSpace(id.Value); v != "" {
				return v
			}
		}
	}
	return ""
}

// previewerKey returns the identifier of the person who previews: the
// authorised representative when there is one, else the subject.
func previewerKey(req *edm.QueryRequest) string {
	if r := req.AuthorizedRepresentative; r != nil && strings.TrimSpace(r.Identifier.Value) != "" {
		return strings.TrimSpace(r.Identifier.Value)
	}
	return subjectKey(req)
}

// generate makes the demo evidence of type o for the subject of req,
// from service s, deterministically: the same subject and type give the
// same document. The demo registers know every subject identified by an
// identifier; a person given only by name and birth date cannot be matched
// reliably and is unknown, as is a company asked for personal evidence and
// the other way round.
func generate(o *offer, s commonsvc.DataService, req *edm.QueryRequest) (*document, error) {
	subject := subjectKey(req)
	if subject == "" {
		return nil, fmt.Errorf("%w: the request carries no identifier of the subject", errUnknownSubject)
	}
	title := o.Type.Titles.Get("EN")
	if title == "" && len(o.Type.Titles) > 0 {
		title = o.Type.Titles[0].Value
	}
	kind := kindOf(title)
	if (kind == kindCompany) != (req.LegalPerson != nil) {
		return nil, fmt.Errorf("%w: %q is not kept for this kind of subject", errUnknownSubject, title)
	}
	dist := pickDistribution(o.Type.Distributions, req.EvidenceRequest.DistributedAs.Format)
	seed := sha256.Sum256([]byte(subject + "\x00" + o.Type.Classification))
	r := detRand{seed: seed}
	source := s.Provider.Names.Get("EN")
	if source == "" && len(s.Provider.Names) > 0 {
		source = s.Provider.Names[0].Value
	}
	basis := "Regulation (EU) 2018/1724 Art. 14; register law of " + o.Country
	d := &document{
		ID:          uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://vienreiz.lv/demo/evidence/"+subject+"/"+o.Type.Classification)).String(),
		Title:       title,
		Format:      dist.Format,
		ConformsTo:  dist.ConformsTo,
		IssuingDate: time.Date(2020+r.intn(5), time.Month(1+r.intn(12)), 1+r.intn(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
	}
	add := func(name, value string) {
		d.Fields = append(d.Fields, Field{Name: name, Value: value, Source: source, LegalBasis: basis})
	}
	if p := req.NaturalPerson; p != nil {
		add("Person identifier", subject)
		add("Family name", orUnknown(p.FamilyName))
		add("Given name", orUnknown(p.GivenName))
		add("Date of birth", orUnknown(p.DateOfBirth))
	} else {
		add("Company identifier", subject)
		add("Legal name", orUnknown(req.LegalPerson.LegalName))
	}
	kindFields(kind, o.Country, s.Provider.Address.PostCityName, &r, add)
	add("Issuing date", d.IssuingDate)
	var err error
	switch d.Format {
	case "application/pdf":
		d.Data, err = pdfDocument(title, d.Fields)
	default:
		d.Data, err = xmlDocument(d)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// kindFields adds the fields particular to a kind of evidence; places in
// the record are in the registry's own city (registryCity, from the
// directory) where it has one, so a Berlin register never records Munich.
func kindFields(kind evidenceKind, country, registryCity string, r *detRand, add func(name, value string)) {
	cities := map[string][]string{
		"LV": {"Rīga", "Daugavpils", "Liepāja"}, "EE": {"Tallinn", "Tartu", "Pärnu"},
		"LT": {"Vilnius", "Kaunas", "Klaipėda"}, "FI": {"Helsinki", "Tampere", "Turku"},
		"DE": {"Berlin", "Hamburg", "München"},
	}[country]
	if len(cities) == 0 {
		cities = []string{"Capital"}
	}
	city := cities[r.intn(len(cities))]
	if registryCity != "" {
		city = registryCity
	}
	switch kind {
	case kindBirth:
		add("Place of birth", city+", "+country)
		add("Birth record number", fmt.Sprintf("%s-%06d", country, r.intn(1000000)))
	case kindResidence:
		add("Registered address", fmt.Sprintf("%d Main Street, %s", 1+r.intn(120), city))
		add("Registered since", fmt.Sprintf("%d-%02d-01", 2005+r.intn(18), 1+r.intn(12)))
	case kindEducation:
		add("Qualification", []string{"General secondary education", "Bachelor of Science", "Master of Arts"}[r.intn(3)])
		add("Institution", city+" "+[]string{"State Gymnasium", "University", "Technical University"}[r.intn(3)])
		add("Year of award", fmt.Sprint(2000+r.intn(24)))
	case kindIncome:
		add("Taxable income last year (EUR)", fmt.Sprintf("%d.00", 12000+r.intn(60000)))
	case kindTax:
		add("Tax debt", "none")
		add("Valid for", "3 months from the issuing date")
	case kindVehicle:
		add("Registration number", fmt.Sprintf("%c%c-%04d", 'A'+rune(r.intn(26)), 'A'+rune(r.intn(26)), r.intn(10000)))
		add("Make and model", []string{"Škoda Octavia", "Volkswagen Golf", "Toyota Corolla"}[r.intn(3)])
	case kindCompany:
		add("Legal form", []string{"Limited liability company", "Joint-stock company"}[r.intn(2)])
		add("Registered office", city+", "+country)
		add("Status", "active")
	case kindSocial:
		add("Insured periods (months)", fmt.Sprint(60+r.intn(400)))
		add("Contributions paid (EUR)", fmt.Sprintf("%d.00", 5000+r.intn(90000)))
	case kindHealth:
		add("Insured", "yes")
		add("Insured until", fmt.Sprintf("%d-12-31", 2026+r.intn(3)))
	default:
		add("Record number", fmt.Sprintf("%s-%08d", country, r.intn(100000000)))
	}
}

// pickDistribution returns the distribution with the requested format, or
// the first one the directory advertises.
func pickDistribution(ds []commonsvc.Distribution, want string) commonsvc.Distribution {
	for _, d := range ds {
		if d.Format == want {
			return d
		}
	}
	if len(ds) == 0 {
		return commonsvc.Distribution{Format: "application/pdf"}
	}
	return ds[0]
}

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(not given)"
	}
	return s
}

// detRand is a deterministic number source over a seed (SHA-256 in
// counter mode), so demo values depend only on subject and type.
type detRand struct {
	seed [32]byte
	n    uint64
}

func (r *detRand) intn(n int) int {
	var buf [40]byte
	copy(buf[:], r.seed[:])
	binary.BigEndian.PutUint64(buf[32:], r.n)
	r.n++
	h := sha256.Sum256(buf[:])
	return int(binary.BigEndian.Uint64(h[:8]) % uint64(n))
}
