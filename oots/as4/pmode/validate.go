package pmode

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// ErrInvalid is wrapped by every configuration error of Parse, Load,
// Validate and the Domibus importer.
var ErrInvalid = errors.New("pmode: invalid configuration")

// FieldError is one problem with one setting; Field is its path in the
// file format, such as "pmodes[1].legs[0].action".
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// joinInvalid wraps all problems found under ErrInvalid.
func joinInvalid(errs []error) error {
	return fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
}

// Accepted algorithm URIs; SHA-1 and RSA v1.5 key transport are refused
// as the eDelivery AS4 profile forbids them.
var (
	signatureAlgorithms = []string{AlgRSASHA256, AlgRSASHA384, AlgRSASHA512}
	digestAlgorithms    = []string{AlgSHA256, AlgSHA384, AlgSHA512}
	dataAlgorithms      = []string{AlgAES128GCM, AlgAES256GCM}
	keyTransports       = []string{AlgRSAOAEP, AlgRSAOAEPMGF1P}
	mgfAlgorithms       = []string{AlgMGF1SHA256, AlgMGF1SHA384, AlgMGF1SHA512}
)

// Validate checks the whole configuration and reports every problem
// found, each naming its field, wrapped under ErrInvalid.
func (c *Config) Validate() error {
	var errs []error
	add := func(field, format string, args ...any) { errs = append(errs, fieldErr(field, format, args...)) }
	if c.Self == "" {
		add("self", "required: the name of our own party")
	} else if _, ok := c.Parties[c.Self]; !ok {
		add("self", "party %q is not among the parties", c.Self)
	}
	if len(c.Parties) == 0 {
		add("parties", "at least one party is required")
	}
	for i, name := range c.PartyNames() {
		field := fmt.Sprintf("parties[%d]", i)
		p := c.Parties[name]
		if p == nil {
			add(field, "party %q is nil", name)
			continue
		}
		if p.Name == "" {
			add(field+".name", "required")
		} else if p.Name != name {
			add(field+".name", "%q is filed under %q", p.Name, name)
		}
		if len(p.IDs) == 0 {
			add(field+".ids", "at least one party identifier is required")
		}
		for j, id := range p.IDs {
			f := fmt.Sprintf("%s.ids[%d]", field, j)
			if strings.TrimSpace(id.Value) == "" {
				add(f+".value", "required")
			} else if id.Type == "" && !isAbsoluteURI(id.Value) {
				add(f+".type", "required: ebMS3 allows a PartyId without type only when its value %q is a URI", id.Value)
			}
		}
		for j, ep := range p.Endpoints {
			f := fmt.Sprintf("%s.endpoints[%d]", field, j)
			if err := checkEndpoint(ep); err != nil {
				add(f, "%v", err)
			} else if slices.Index(p.Endpoints, ep) < j {
				add(f, "duplicate endpoint %q", ep)
			}
		}
	}
	if len(c.PModes) == 0 {
		add("pmodes", "at least one P-Mode is required")
	}
	seenID := map[string]int{}
	seenLeg := map[string]string{}
	for i, pm := range c.PModes {
		field := fmt.Sprintf("pmodes[%d]", i)
		if pm == nil {
			add(field, "is nil")
			continue
		}
		if pm.ID == "" {
			add(field+".id", "required")
		} else if j, dup := seenID[pm.ID]; dup {
			add(field+".id", "duplicate P-Mode id %q (also pmodes[%d])", pm.ID, j)
		} else {
			seenID[pm.ID] = i
		}
		errs = append(errs, pm.validate(c, field, seenLeg)...)
	}
	if len(errs) > 0 {
		return joinInvalid(errs)
	}
	return nil
}

// validate checks one P-Mode; seenLeg detects the same leg between the
// same parties in two P-Modes, which would make Find ambiguous.
func (pm *PMode) validate(c *Config, field string, seenLeg map[string]string) []error {
	var errs []error
	add := func(f, format string, args ...any) { errs = append(errs, fieldErr(field+"."+f, format, args...)) }
	if pm.MEP != MEPOneWay && pm.MEP != MEPTwoWay {
		add("mep", "%q is not an ebMS3 MEP (oneWay or twoWay)", pm.MEP)
	}
	switch pm.MEPBinding {
	case MEPBindingPush, MEPBindingPushAndPush:
	case MEPBindingPull:
		add("mepBinding", "pull is not supported, only push")
	default:
		add("mepBinding", "%q is not an ebMS3 binding (push)", pm.MEPBinding)
	}
	for _, r := range []struct {
		name string
		ref  PartyRef
	}{{"initiator", pm.Initiator}, {"responder", pm.Responder}} {
		if r.ref.Party == "" {
			add(r.name+".party", "required")
		} else if _, ok := c.Parties[r.ref.Party]; !ok {
			add(r.name+".party", "unknown party %q", r.ref.Party)
		}
		if r.ref.Role == "" {
			add(r.name+".role", "required")
		}
	}
	if pm.Initiator.Party == c.Self && c.Self != "" {
		if p := c.Parties[pm.Responder.Party]; p != nil && len(p.Endpoints) == 0 {
			add("responder.party", "party %q has no endpoint to send to", p.Name)
		}
	}
	if len(pm.Legs) == 0 {
		add("legs", "at least one leg (service and action) is required")
	}
	for j, l := range pm.Legs {
		f := fmt.Sprintf("legs[%d]", j)
		if l.Service == "" {
			add(f+".service", "required")
		} else if l.ServiceType == "" && !isAbsoluteURI(l.Service) {
			add(f+".serviceType", "required: ebMS3 allows a Service without type only when its value %q is a URI", l.Service)
		}
		if l.Action == "" {
			add(f+".action", "required")
		}
		key := strings.Join([]string{pm.Initiator.Party, pm.Responder.Party, l.Service, l.Action}, "\x00")
		if other, dup := seenLeg[key]; dup && l.Service != "" && l.Action != "" {
			add(f, "service %q action %q from %q to %q is already in P-Mode %q", l.Service, l.Action, pm.Initiator.Party, pm.Responder.Party, other)
		} else {
			seenLeg[key] = pm.ID
		}
	}
	s := pm.Security
	oneOf := func(f, v string, allowed []string) {
		if !slices.Contains(allowed, v) {
			add("security."+f, "%q is not allowed (use one of %s)", v, strings.Join(allowed, ", "))
		}
	}
	if s.Sign {
		oneOf("signatureAlgorithm", s.SignatureAlgorithm, signatureAlgorithms)
		oneOf("digestAlgorithm", s.DigestAlgorithm, digestAlgorithms)
	}
	if s.Encrypt {
		oneOf("dataEncryptionAlgorithm", s.DataEncryptionAlgorithm, dataAlgorithms)
		oneOf("keyTransportAlgorithm", s.KeyTransportAlgorithm, keyTransports)
		oneOf("keyTransportDigest", s.KeyTransportDigest, digestAlgorithms)
		if s.KeyTransportAlgorithm == AlgRSAOAEP {
			oneOf("keyTransportMGF", s.KeyTransportMGF, mgfAlgorithms)
		}
		if s.KeyInfo != "" {
			oneOf("keyInfo", s.KeyInfo, []string{KeyInfoIssuerSerial, KeyInfoSKI, KeyInfoBST})
		}
	}
	if s.NonRepudiation && !(s.Sign && s.SendReceipt) {
		add("security.nonRepudiation", "needs sign and sendReceipt")
	}
	r := pm.Reliability
	if r.RetryCount < 0 || r.RetryCount > MaxRetryCount {
		add("reliability.retryCount", "%d is outside 0..%d", r.RetryCount, MaxRetryCount)
	}
	if r.RetryInterval < 0 || (r.RetryCount > 0 && r.RetryInterval == 0) {
		add("reliability.retryInterval", "%s: must be positive when retries are configured", r.RetryInterval)
	}
	if !(r.BackoffFactor >= 1 && r.BackoffFactor <= 100) { // also refuses NaN
		add("reliability.backoffFactor", "%v is outside 1..100 (1 = constant interval)", r.BackoffFactor)
	}
	if r.ReceiptTimeout < 0 || (s.SendReceipt && r.ReceiptTimeout == 0) {
		add("reliability.receiptTimeout", "%s: must be positive when receipts are requested", r.ReceiptTimeout)
	}
	if pm.MaxPayloadSize < 0 {
		add("maxPayloadSize", "%d is negative (0 takes the receiver's default)", pm.MaxPayloadSize)
	}
	return errs
}

// MaxRetryCount bounds Reliability.RetryCount.
const MaxRetryCount = 100

// checkEndpoint accepts absolute http and https URLs with a host.
func checkEndpoint(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("%q: scheme must be https or http", s)
	}
	if u.Host == "" {
		return fmt.Errorf("%q: no host", s)
	}
	if u.User != nil {
		return fmt.Errorf("%q: credentials in the URL are not allowed", s)
	}
	return nil
}

// isAbsoluteURI reports whether s looks like an absolute URI (scheme:...),
// as ebMS3 requires for untyped PartyId and Service values.
func isAbsoluteURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && len(s) > len(u.Scheme)+1 && !strings.ContainsAny(s, " \t\n")
}

// PartyNames returns the party names in sorted order.
func (c *Config) PartyNames() []string {
	names := make([]string, 0, len(c.Parties))
	for n := range c.Parties {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
