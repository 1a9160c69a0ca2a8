package domibus

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// MaxFileSize bounds the Domibus file Parse reads; real P-Modes of large
// networks are a few hundred kilobytes.
const MaxFileSize = 4 << 20

// ErrInvalid is wrapped by every error of Parse, Convert and Import. It
// wraps pmode.ErrInvalid, so callers can test for either.
var ErrInvalid = fmt.Errorf("domibus P-Mode: %w", pmode.ErrInvalid)

// Parse reads a Domibus P-Mode file through the hardened XML parser (no
// DOCTYPE, size limit) and checks its structure: required attributes,
// booleans and numbers, unique names and that every name a leg or process
// refers to is defined. All problems are reported, each with the element
// path, wrapped under ErrInvalid.
func Parse(r io.Reader) (*File, error) {
	doc, err := xmlsafe.Parse(r, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	root := doc.Root()
	if root.Tag != "configuration" || root.NamespaceURI() != Namespace {
		return nil, fmt.Errorf("%w: root element is {%s}%s, want {%s}configuration", ErrInvalid, root.NamespaceURI(), root.Tag, Namespace)
	}
	p := &parser{}
	f := p.file(root)
	p.checkReferences(f)
	if len(p.errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, errors.Join(p.errs...))
	}
	return f, nil
}

// parser collects every problem found instead of stopping at the first.
type parser struct{ errs []error }

func (p *parser) fail(e *etree.Element, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s", where(e), fmt.Sprintf(format, args...)))
}

// where names an element by its path, using @name where it has one:
// businessProcesses/legConfigurations/legConfiguration[@name='x'].
func where(e *etree.Element) string {
	var segs []string
	for ; e != nil && e.Parent() != nil && e.Parent().Parent() != nil; e = e.Parent() {
		seg := e.Tag
		if n := e.SelectAttr("name"); n != nil {
			seg += "[@name='" + n.Value + "']"
		} else if sib := e.Parent().SelectElements(e.Tag); len(sib) > 1 {
			seg += "[" + strconv.Itoa(e.Index()+1) + "]"
		}
		segs = append(segs, seg)
	}
	if len(segs) == 0 {
		return "configuration"
	}
	for i, j := 0, len(segs)-1; i < j; i, j = i+1, j-1 {
		segs[i], segs[j] = segs[j], segs[i]
	}
	return strings.Join(segs, "/")
}

// attr returns an attribute, reporting it when required and missing or
// blank.
func (p *parser) attr(e *etree.Element, name string, required bool) string {
	a := e.SelectAttr(name)
	if a == nil || (required && strings.TrimSpace(a.Value) == "") {
		if required {
			p.fail(e, "@%s is required", name)
		}
		return ""
	}
	return strings.TrimSpace(a.Value)
}

// boolAttr parses xs:boolean (true, false, 1, 0); def applies when absent.
func (p *parser) boolAttr(e *etree.Element, name string, required, def bool) bool {
	v := p.attr(e, name, required)
	switch strings.ToLower(v) {
	case "":
		return def
	case "true", "1":
		return true
	case "false", "0":
		return false
	}
	p.fail(e, "@%s=%q is not a boolean", name, v)
	return def
}

// intAttr parses a non-negative integer no larger than max.
func (p *parser) intAttr(e *etree.Element, name string, required bool, max int64) int64 {
	v := p.attr(e, name, required)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > max {
		p.fail(e, "@%s=%q is not an integer in 0..%d", name, v, max)
		return 0
	}
	return n
}

// children returns the elements tag under the path below e.
func children(e *etree.Element, path ...string) []*etree.Element {
	for _, seg := range path[:len(path)-1] {
		if e = e.SelectElement(seg); e == nil {
			return nil
		}
	}
	return e.SelectElements(path[len(path)-1])
}

func (p *parser) namedValues(e *etree.Element, path ...string) []NamedValue {
	var out []NamedValue
	for _, c := range children(e, path...) {
		out = append(out, NamedValue{Name: p.attr(c, "name", true), Value: p.attr(c, "value", true)})
	}
	return out
}

// file reads the whole configuration.
func (p *parser) file(root *etree.Element) *File {
	f := &File{Party: p.attr(root, "party", true)}
	for _, e := range children(root, "mpcs", "mpc") {
		f.MPCs = append(f.MPCs, MPC{
			Name: p.attr(e, "name", true), QualifiedName: p.attr(e, "qualifiedName", true),
			Enabled: p.boolAttr(e, "enabled", false, true), Default: p.boolAttr(e, "default", false, false),
		})
	}
	bp := root.SelectElement("businessProcesses")
	if bp == nil {
		p.fail(root, "businessProcesses is required")
		return f
	}
	f.Roles = p.namedValues(bp, "roles", "role")
	f.PartyIDTypes = p.namedValues(bp, "parties", "partyIdTypes", "partyIdType")
	idTypes := index(f.PartyIDTypes, func(v NamedValue) string { return v.Name })
	for _, e := range children(bp, "parties", "party") {
		party := Party{Name: p.attr(e, "name", true), Endpoint: p.attr(e, "endpoint", false)}
		for _, id := range e.SelectElements("identifier") {
			pid := PartyID{Value: p.attr(id, "partyId", true), TypeName: p.attr(id, "partyIdType", false)}
			if pid.TypeName != "" {
				if t, ok := idTypes[pid.TypeName]; ok {
					pid.Type = t.Value
				} else {
					p.fail(id, "@partyIdType: unknown partyIdType %q", pid.TypeName)
				}
			}
			party.IDs = append(party.IDs, pid)
		}
		if len(party.IDs) == 0 {
			p.fail(e, "at least one identifier is required")
		}
		f.Parties = append(f.Parties, party)
	}
	f.MEPs = p.namedValues(bp, "meps", "mep")
	f.Bindings = p.namedValues(bp, "meps", "binding")
	for _, e := range children(bp, "properties", "property") {
		f.Properties = append(f.Properties, Property{
			Name: p.attr(e, "name", true), Key: p.attr(e, "key", true),
			Datatype: p.attr(e, "datatype", true), Required: p.boolAttr(e, "required", true, false),
		})
	}
	for _, e := range children(bp, "properties", "propertySet") {
		ps := PropertySet{Name: p.attr(e, "name", true)}
		for _, r := range e.SelectElements("propertyRef") {
			ps.Properties = append(ps.Properties, p.attr(r, "property", true))
		}
		f.PropertySets = append(f.PropertySets, ps)
	}
	for _, e := range children(bp, "payloadProfiles", "payload") {
		f.Payloads = append(f.Payloads, Payload{
			Name: p.attr(e, "name", true), CID: p.attr(e, "cid", true), MimeType: p.attr(e, "mimeType", false),
			SchemaFile: p.attr(e, "schemaFile", false), InBody: p.boolAttr(e, "inBody", false, false),
			Required: p.boolAttr(e, "required", true, false), MaxSize: p.intAttr(e, "maxSize", false, 1<<62),
		})
	}
	for _, e := range children(bp, "payloadProfiles", "payloadProfile") {
		pp := PayloadProfile{Name: p.attr(e, "name", true), MaxSize: p.intAttr(e, "maxSize", true, 1<<62)}
		for _, a := range e.SelectElements("attachment") {
			pp.Attachments = append(pp.Attachments, p.attr(a, "name", true))
		}
		f.PayloadProfiles = append(f.PayloadProfiles, pp)
	}
	for _, e := range children(bp, "securities", "security") {
		s := Security{Name: p.attr(e, "name", true), Policy: p.attr(e, "policy", false),
			SignatureMethod: p.attr(e, "signatureMethod", false), Profile: p.attr(e, "profile", false)}
		if s.Policy == "" && s.Profile == "" {
			p.fail(e, "@policy or @profile is required")
		}
		f.Securities = append(f.Securities, s)
	}
	for _, e := range children(bp, "errorHandlings", "errorHandling") {
		f.ErrorHandlings = append(f.ErrorHandlings, ErrorHandling{
			Name:                          p.attr(e, "name", true),
			ErrorAsResponse:               p.boolAttr(e, "errorAsResponse", true, false),
			BusinessErrorNotifyProducer:   p.boolAttr(e, "businessErrorNotifyProducer", true, false),
			BusinessErrorNotifyConsumer:   p.boolAttr(e, "businessErrorNotifyConsumer", true, false),
			DeliveryFailureNotifyProducer: p.boolAttr(e, "deliveryFailureNotifyProducer", true, false),
		})
	}
	for _, e := range children(bp, "agreements", "agreement") {
		f.Agreements = append(f.Agreements, Agreement{Name: p.attr(e, "name", true), Value: p.attr(e, "value", false), Type: p.attr(e, "type", false)})
	}
	for _, e := range children(bp, "services", "service") {
		f.Services = append(f.Services, Service{Name: p.attr(e, "name", true), Value: p.attr(e, "value", true), Type: p.attr(e, "type", false)})
	}
	f.Actions = p.namedValues(bp, "actions", "action")
	for _, e := range children(bp, "as4", "receptionAwareness") {
		ra := ReceptionAwareness{Name: p.attr(e, "name", true), Retry: p.attr(e, "retry", false),
			DuplicateDetection: p.boolAttr(e, "duplicateDetection", false, false)}
		if ra.Retry != "" {
			if err := parseRetry(&ra); err != nil {
				p.fail(e, "@retry=%q: %v", ra.Retry, err)
			}
		}
		f.ReceptionAwares = append(f.ReceptionAwares, ra)
	}
	for _, e := range children(bp, "as4", "reliability") {
		f.Reliabilities = append(f.Reliabilities, Reliability{Name: p.attr(e, "name", true),
			ReplyPattern: p.attr(e, "replyPattern", true), NonRepudiation: p.boolAttr(e, "nonRepudiation", true, false)})
	}
	for _, e := range children(bp, "splittingConfigurations", "splitting") {
		f.Splittings = append(f.Splittings, Splitting{Name: p.attr(e, "name", true),
			FragmentSize: int(p.intAttr(e, "fragmentSize", true, 1<<30)), JoinInterval: int(p.intAttr(e, "joinInterval", true, 1<<30)),
			Compression: p.boolAttr(e, "compression", true, false)})
	}
	for _, e := range children(bp, "legConfigurations", "legConfiguration") {
		f.Legs = append(f.Legs, Leg{
			Name: p.attr(e, "name", true), Service: p.attr(e, "service", true), Action: p.attr(e, "action", true),
			DefaultMPC: p.attr(e, "defaultMpc", true), Reliability: p.attr(e, "reliability", true),
			Security: p.attr(e, "security", true), ReceptionAwareness: p.attr(e, "receptionAwareness", true),
			PropertySet: p.attr(e, "propertySet", false), PayloadProfile: p.attr(e, "payloadProfile", false),
			ErrorHandling: p.attr(e, "errorHandling", true), Splitting: p.attr(e, "splitting", false),
			CompressPayloads: p.boolAttr(e, "compressPayloads", true, false),
		})
	}
	for _, e := range bp.SelectElements("process") {
		pr := Process{
			Name: p.attr(e, "name", true), Agreement: p.attr(e, "agreement", false),
			MEP: p.attr(e, "mep", true), Binding: p.attr(e, "binding", true),
			InitiatorRole: p.attr(e, "initiatorRole", true), ResponderRole: p.attr(e, "responderRole", true),
		}
		for _, c := range children(e, "initiatorParties", "initiatorParty") {
			pr.InitiatorParties = append(pr.InitiatorParties, p.attr(c, "name", true))
		}
		for _, c := range children(e, "responderParties", "responderParty") {
			pr.ResponderParties = append(pr.ResponderParties, p.attr(c, "name", true))
		}
		for _, c := range children(e, "legs", "leg") {
			pr.Legs = append(pr.Legs, p.attr(c, "name", true))
		}
		f.Processes = append(f.Processes, pr)
	}
	return f
}

// MaxRetryMinutes bounds the retry window of a receptionAwareness (a year).
const MaxRetryMinutes = 366 * 24 * 60

// parseRetry decodes "timeout;count;strategy": the retry window in
// minutes, the number of retries and CONSTANT, PROGRESSIVE or SEND_ONCE.
// Fields after the strategy are ignored.
func parseRetry(ra *ReceptionAwareness) error {
	parts := strings.Split(ra.Retry, ";")
	if len(parts) < 3 {
		return errors.New("want timeout;count;strategy")
	}
	minutes, err := strconv.Atoi(strings.TrimSpace(parts[0]))
	if err != nil || minutes < 0 || minutes > MaxRetryMinutes {
		return fmt.Errorf("timeout %q is not a number of minutes in 0..%d", parts[0], MaxRetryMinutes)
	}
	count, err := strconv.Atoi(strings.TrimSpace(parts[1]))
	if err != nil || count < 0 || count > pmode.MaxRetryCount {
		return fmt.Errorf("count %q is not a number in 0..%d", parts[1], pmode.MaxRetryCount)
	}
	strategy := strings.ToUpper(strings.TrimSpace(parts[2]))
	switch strategy {
	case "CONSTANT", "PROGRESSIVE", "SEND_ONCE":
	default:
		return fmt.Errorf("strategy %q is not CONSTANT, PROGRESSIVE or SEND_ONCE", parts[2])
	}
	ra.RetryTimeout, ra.RetryCount, ra.Strategy = time.Duration(minutes)*time.Minute, count, strategy
	return nil
}

// index maps items by key.
func index[T any](items []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(items))
	for _, it := range items {
		m[key(it)] = it
	}
	return m
}
