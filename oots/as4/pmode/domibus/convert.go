package domibus

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// Import parses a Domibus P-Mode file and converts it (Parse, then
// Convert).
func Import(r io.Reader) (*pmode.Config, error) {
	f, err := Parse(r)
	if err != nil {
		return nil, err
	}
	return f.Convert()
}

// Convert turns the file into a pmode.Config for the party the file
// configures (File.Party becomes Config.Self). Every process yields one
// P-Mode per leg and per initiator/responder pair that includes our party;
// pairs between two other parties are left out. A P-Mode's ID is the
// legConfiguration name, qualified with "@initiator>responder" when the
// leg serves more than one pair. Party certificates are not part of a
// Domibus P-Mode; fill Party.Cert from the truststore (keys.TrustStore
// Lookup by party name, as Domibus does).
//
// Mapping: security profile "rsa" or a WS-Policy other than doNothing and
// signOnly means sign and encrypt with the AS4 1.15 algorithms (a
// signatureMethod overrides the signature algorithm; a *_BST policy names
// the recipient's certificate by BinarySecurityToken, else by issuer and
// serial); reliability gives
// receipts and non-repudiation; receptionAwareness "T;N;CONSTANT" gives N
// retries every T/N minutes, PROGRESSIVE doubles the interval from
// T/(2^N-1), SEND_ONCE no retries; compressPayloads gives Compress; the
// payload profile's maxSize gives MaxPayloadSize.
func (f *File) Convert() (*pmode.Config, error) {
	c := &pmode.Config{Self: f.Party, Parties: make(map[string]*pmode.Party, len(f.Parties))}
	for _, p := range f.Parties {
		party := &pmode.Party{Name: p.Name}
		for _, id := range p.IDs {
			party.IDs = append(party.IDs, pmode.PartyID{Value: id.Value, Type: id.Type})
		}
		if p.Endpoint != "" {
			party.Endpoints = []string{p.Endpoint}
		}
		c.Parties[p.Name] = party
	}
	var (
		errs   []error
		legs   = index(f.Legs, func(v Leg) string { return v.Name })
		roles  = index(f.Roles, nv)
		meps   = index(f.MEPs, nv)
		binds  = index(f.Bindings, nv)
		agrees = index(f.Agreements, func(v Agreement) string { return v.Name })
		pairs  = map[string]int{}
	)
	type pending struct {
		pm  *pmode.PMode
		leg string
	}
	var out []pending
	for _, pr := range f.Processes {
		for _, legName := range pr.Legs {
			leg := legs[legName]
			pm, err := f.legPMode(leg)
			if err != nil {
				errs = append(errs, fmt.Errorf("process %q leg %q: %w", pr.Name, legName, err))
				continue
			}
			pm.Agreement, pm.AgreementType = agrees[pr.Agreement].Value, agrees[pr.Agreement].Type
			pm.MEP, pm.MEPBinding = meps[pr.MEP].Value, binds[pr.Binding].Value
			for _, ini := range pr.InitiatorParties {
				for _, res := range pr.ResponderParties {
					if ini != f.Party && res != f.Party {
						continue
					}
					cp := *pm
					cp.Legs = append([]pmode.Leg(nil), pm.Legs...)
					cp.Initiator = pmode.PartyRef{Party: ini, Role: roles[pr.InitiatorRole].Value}
					cp.Responder = pmode.PartyRef{Party: res, Role: roles[pr.ResponderRole].Value}
					out = append(out, pending{&cp, legName})
					pairs[legName]++
				}
			}
		}
	}
	for _, p := range out {
		p.pm.ID = p.leg
		if pairs[p.leg] > 1 {
			p.pm.ID = p.leg + "@" + p.pm.Initiator.Party + ">" + p.pm.Responder.Party
		}
		c.PModes = append(c.PModes, p.pm)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("domibus P-Mode converted: %w", err)
	}
	return c, nil
}

// legPMode builds the leg-dependent part of a P-Mode.
func (f *File) legPMode(l Leg) (*pmode.PMode, error) {
	svc := index(f.Services, func(v Service) string { return v.Name })[l.Service]
	act := index(f.Actions, nv)[l.Action]
	pm := &pmode.PMode{
		Legs:     []pmode.Leg{{Service: svc.Value, ServiceType: svc.Type, Action: act.Value}},
		Compress: l.CompressPayloads,
	}
	sec, err := securityOf(index(f.Securities, func(v Security) string { return v.Name })[l.Security])
	if err != nil {
		return nil, err
	}
	rel := index(f.Reliabilities, func(v Reliability) string { return v.Name })[l.Reliability]
	sec.SendReceipt = true
	sec.NonRepudiation = rel.NonRepudiation && sec.Sign
	pm.Security = sec
	pm.Reliability = reliabilityOf(index(f.ReceptionAwares, func(v ReceptionAwareness) string { return v.Name })[l.ReceptionAwareness])
	if l.PayloadProfile != "" {
		pm.MaxPayloadSize = index(f.PayloadProfiles, func(v PayloadProfile) string { return v.Name })[l.PayloadProfile].MaxSize
	}
	return pm, nil
}

// securityOf maps a Domibus security to our settings.
func securityOf(s Security) (pmode.Security, error) {
	out := pmode.DefaultSecurity()
	switch strings.ToLower(s.Profile) {
	case "", "rsa":
	default:
		return out, fmt.Errorf("security %q: profile %q is not supported (only rsa)", s.Name, s.Profile)
	}
	policy := strings.ToLower(s.Policy)
	switch {
	case strings.Contains(policy, "donothing"):
		out.Sign, out.Encrypt = false, false
	case strings.Contains(policy, "signonly"):
		out.Encrypt = false
	}
	if strings.Contains(policy, "_bst") { // eDeliveryAS4Policy_BST.xml: keys named by BinarySecurityToken
		out.KeyInfo = pmode.KeyInfoBST
	}
	if s.SignatureMethod != "" {
		alg, ok := map[string]string{
			"RSA_SHA256": pmode.AlgRSASHA256,
			"RSA_SHA384": pmode.AlgRSASHA384,
			"RSA_SHA512": pmode.AlgRSASHA512,
		}[strings.ToUpper(s.SignatureMethod)]
		if !ok {
			return out, fmt.Errorf("security %q: signatureMethod %q is not supported (RSA_SHA256, RSA_SHA384, RSA_SHA512)", s.Name, s.SignatureMethod)
		}
		out.SignatureAlgorithm = alg
	}
	return out, nil
}

// reliabilityOf maps reception awareness to retries.
func reliabilityOf(ra ReceptionAwareness) pmode.Reliability {
	r := pmode.Reliability{
		BackoffFactor:      1,
		ReceiptTimeout:     pmode.DefaultReceiptTimeout,
		DuplicateDetection: ra.DuplicateDetection,
	}
	if ra.Strategy == "SEND_ONCE" || ra.RetryCount == 0 {
		return r
	}
	r.RetryCount = ra.RetryCount
	switch ra.Strategy {
	case "PROGRESSIVE":
		r.BackoffFactor = 2
		r.RetryInterval = time.Duration(float64(ra.RetryTimeout) / (math.Exp2(float64(ra.RetryCount)) - 1))
	default:
		r.RetryInterval = ra.RetryTimeout / time.Duration(ra.RetryCount)
	}
	if r.RetryInterval < time.Second {
		r.RetryInterval = time.Second
	}
	return r
}
