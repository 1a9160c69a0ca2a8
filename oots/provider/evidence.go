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
	Language    string // of the texts: "lv" or "en"
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
	kindSecondary
	kindHigher
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
		{[]string{"secondary"}, kindSecondary},
		{[]string{"diploma", "tertiary", "education"}, kindHigher},
		{[]string{"income", "salary"}, kindIncome},
		{[]string{"tax"}, kindTax},
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

// keptFor reports whether the demo registers keep evidence of kind k for
// companies (company) or for persons: a company's registration only for
// companies; tax and social security contributions for both (an employer
// pays them too); the rest only for persons.
func (k evidenceKind) keptFor(company bool) bool {
	switch k {
	case kindCompany:
		return company
	case kindTax, kindSocial:
		return true
	}
	return !company
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
// from service s, issued on the day of issued (the preview's creation, so
// that what is shown is what is released), deterministically: the same
// subject, type and day give the same document, and its facts (a
// diploma's year, an address) are the same whatever the day. Its texts
// are in language, "lv" or else English; the caller checks that the
// provider offers it (viewLanguage), and the values are the same in both
// but for their words. The demo registers know every subject identified
// by an identifier; a person given only by name and birth date cannot be
// matched reliably and is unknown, as is a subject the registers keep no
// such evidence for (kind.keptFor).
func generate(o *offer, s commonsvc.DataService, req *edm.QueryRequest, language string, issued time.Time) (*document, error) {
	subject := subjectKey(req)
	if subject == "" {
		return nil, fmt.Errorf("%w: the request carries no identifier of the subject", errUnknownSubject)
	}
	title := o.Type.Titles.Get("EN")
	if title == "" && len(o.Type.Titles) > 0 {
		title = o.Type.Titles[0].Value
	}
	kind := kindOf(title)
	if !kind.keptFor(req.LegalPerson != nil) {
		return nil, fmt.Errorf("%w: %q is not kept for this kind of subject", errUnknownSubject, title)
	}
	sp := speech{latvian: language == "lv"}
	if t := o.Type.Titles.Get("LV"); sp.latvian && t != "" {
		title = t
	}
	dist := pickDistribution(o.Type.Distributions, req.EvidenceRequest.DistributedAs.Format)
	seed := sha256.Sum256([]byte(subject + "\x00" + o.Type.Classification))
	r := detRand{seed: seed}
	source := providerName(s, sp.code())
	basis := sp.say("Regulation (EU) 2018/1724 Art. 14; register law of ", "Regula (ES) 2018/1724, 14. pants; reģistru likums: ") + o.Country
	issuing := issued.UTC().Format(time.DateOnly)
	d := &document{
		ID:          uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://vienreiz.lv/demo/evidence/"+subject+"/"+o.Type.Classification+"/"+issuing)).String(),
		Language:    sp.code(),
		Title:       title,
		Format:      dist.Format,
		ConformsTo:  dist.ConformsTo,
		IssuingDate: issuing,
	}
	life := lifetime{issued: issued.UTC().Year(), born: bornIn(req)}
	add := func(name, value string) {
		d.Fields = append(d.Fields, Field{Name: sp.name(name), Value: value, Source: source, LegalBasis: basis})
	}
	if p := req.NaturalPerson; p != nil {
		add("Person identifier", subject)
		add("Family name", sp.orUnknown(p.FamilyName))
		add("Given name", sp.orUnknown(p.GivenName))
		add("Date of birth", sp.orUnknown(p.DateOfBirth))
	} else {
		add("Company identifier", subject)
		add("Legal name", sp.orUnknown(req.LegalPerson.LegalName))
	}
	kindFields(kind, req.LegalPerson != nil, o.Country, s.Provider.Address.PostCityName, life, &r, sp, add)
	add("Issuing date", d.IssuingDate)
	var err error
	switch d.Format {
	case "application/pdf":
		d.Data, err = pdfDocument(title, sp, d.Fields)
	default:
		d.Data, err = xmlDocument(d)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// kindFields adds the fields particular to a kind of evidence (about a
// company when company is set); places in
// the record are in the registry's own city (registryCity, from the
// directory) where it has one, so a Berlin register never records Munich.
// Every choice is drawn from r whatever the language, so a record says
// the same in English and Latvian.
func kindFields(kind evidenceKind, company bool, country, registryCity string, life lifetime, r *detRand, sp speech, add func(name, value string)) {
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
		add("Registered address", fmt.Sprintf(sp.say("%d Main Street, %s", "Galvenā iela %d, %s"), 1+r.intn(120), city))
		add("Registered since", fmt.Sprintf("%d-%02d-01", life.year(r, 18), 1+r.intn(12)))
	case kindSecondary:
		add("Qualification", sp.say("General secondary education", "Vispārējā vidējā izglītība"))
		add("Institution", sp.ofCity(city, "State Gymnasium", "Valsts ģimnāzija"))
		add("Year of award", fmt.Sprint(life.year(r, 18)))
	case kindHigher:
		i := r.intn(2)
		add("Qualification", sp.say([]string{"Bachelor of Science", "Master of Arts"}[i], []string{"Dabaszinātņu bakalaurs", "Humanitāro zinātņu maģistrs"}[i]))
		add("Institution", sp.ofCity(city, "University", "Universitāte"))
		add("Year of award", fmt.Sprint(life.year(r, 21+2*i)))
	case kindIncome:
		add("Taxable income last year (EUR)", fmt.Sprintf("%d.00", 12000+r.intn(60000)))
	case kindTax:
		add("Tax debt", sp.say("none", "nav"))
		add("Valid for", sp.say("3 months from the issuing date", "3 mēnešus no izdošanas datuma"))
	case kindVehicle:
		add("Registration number", fmt.Sprintf("%c%c-%04d", 'A'+rune(r.intn(26)), 'A'+rune(r.intn(26)), r.intn(10000)))
		add("Make and model", []string{"Škoda Octavia", "Volkswagen Golf", "Toyota Corolla"}[r.intn(3)])
	case kindCompany:
		i := r.intn(2)
		add("Legal form", sp.say([]string{"Limited liability company", "Joint-stock company"}[i], []string{"Sabiedrība ar ierobežotu atbildību", "Akciju sabiedrība"}[i]))
		add("Registered office", city+", "+country)
		add("Status", sp.say("active", "aktīvs"))
	case kindSocial:
		if company {
			add("Employees insured", fmt.Sprint(3+r.intn(200)))
		} else {
			add("Insured periods (months)", fmt.Sprint(60+r.intn(400)))
		}
		add("Contributions paid (EUR)", fmt.Sprintf("%d.00", 5000+r.intn(90000)))
	case kindHealth:
		add("Insured", sp.say("yes", "jā"))
		add("Insured until", fmt.Sprintf("%d-12-31", life.issued+r.intn(3)))
	default:
		add("Record number", fmt.Sprintf("%s-%08d", country, r.intn(100000000)))
	}
}

// lifetime bounds the years a record names: none after the record's
// issue, none before its subject could have lived them.
type lifetime struct {
	issued int // the year the record is issued
	born   int // the subject's year of birth; 0 when unknown
}

// bornIn is the year of birth of req's person, 0 when it gives none.
func bornIn(req *edm.QueryRequest) int {
	if req.NaturalPerson == nil {
		return 0
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(req.NaturalPerson.DateOfBirth))
	if err != nil {
		return 0
	}
	return d.Year()
}

// year draws a year within ten from the one the subject turned atLeast
// (from 2000 when the birth is unknown), and not after the issue: the same
// year whatever the day of issue, unless that would be in the future.
func (l lifetime) year(r *detRand, atLeast int) int {
	first := 2000
	if l.born > 0 {
		first = l.born + atLeast
	}
	return min(first+r.intn(10), l.issued)
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
