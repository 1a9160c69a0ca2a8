// Package demo generates the two-party AS4 setup of the local demo: Latvia
// (the Vienreiz exchange service) as evidence requester and a demo member
// state as evidence provider, each behind two access-point endpoints
// (primary and failover), with keys and certificates from a test CA, the
// OOTS P-Modes between them, and files to run them from. Not for
// production: the keys come from keys/testpki.
package demo

import (
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// OOTS constants used in the demo P-Modes.
const (
	// PartyIDType is the OOTS party id type of access points.
	PartyIDType = "urn:oasis:names:tc:ebcore:partyid-type:unregistered:oots"
	// Service and ServiceType are the OOTS eb:Service for EDM messages.
	Service     = "QueryManager"
	ServiceType = "urn:oasis:names:tc:ebcore:ebrs:ebms:binding:1.0"
	// ActionRequest, ActionResponse and ActionException are the EDM actions.
	ActionRequest   = "ExecuteQueryRequest"
	ActionResponse  = "ExecuteQueryResponse"
	ActionException = "ExceptionResponse"
	// RequestPMode and ResponsePMode are the P-Mode IDs.
	RequestPMode  = "oots-request"
	ResponsePMode = "oots-response"
	// MaxPayloadSize bounds the payloads of an answer in the demo: 2 GiB,
	// room for the 1 GiB evidence the streaming tests send.
	MaxPayloadSize = 2 << 30
	// RequestMaxPayloadSize bounds the payloads of a query: a QueryRequest
	// is a few KiB; 16 MiB leaves the EDM parser's own 8 MiB limit the
	// one that speaks, while a provider spools little for anyone.
	RequestMaxPayloadSize = 16 << 20
)

// Options choose names, identifiers and endpoints; zero fields take the
// defaults shown on each.
type Options struct {
	// Now places the certificates' validity (default time.Now()).
	Now time.Time
	// RequesterName is the requester party ("LV").
	RequesterName string
	// RequesterIDs identify the requester (AP_LV_01 of PartyIDType).
	RequesterIDs []pmode.PartyID
	// RequesterEndpoints are the requester's access points, primary first
	// (http://127.0.0.1:8481/as4 and :8482).
	RequesterEndpoints []string
	// ProviderName is the demo member state party ("DEMO").
	ProviderName string
	// ProviderIDs identify the provider (AP_DEMO_01 of PartyIDType); add
	// the party ids the Data Service Directory publishes so messages
	// addressed by them resolve to this party.
	ProviderIDs []pmode.PartyID
	// ProviderEndpoints are the provider's access points, primary first
	// (http://127.0.0.1:8491/as4 and :8492).
	ProviderEndpoints []string
}

// Side is one party's view of the setup.
type Side struct {
	// Config has Self set to this side's party.
	Config *pmode.Config
	// Identity is this side's key and certificate (with chain).
	Identity keys.Identity
	// Trust trusts the demo CA, and so the other side.
	Trust *keys.TrustStore
}

// Setup is the whole demo: both sides and the CA that issued their keys.
type Setup struct {
	Requester, Provider Side
	PKI                 *testpki.PKI
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.RequesterName == "" {
		o.RequesterName = "LV"
	}
	if len(o.RequesterIDs) == 0 {
		o.RequesterIDs = []pmode.PartyID{{Value: "AP_LV_01", Type: PartyIDType}}
	}
	if len(o.RequesterEndpoints) == 0 {
		o.RequesterEndpoints = []string{"http://127.0.0.1:8481/as4", "http://127.0.0.1:8482/as4"}
	}
	if o.ProviderName == "" {
		o.ProviderName = "DEMO"
	}
	if len(o.ProviderIDs) == 0 {
		o.ProviderIDs = []pmode.PartyID{{Value: "AP_DEMO_01", Type: PartyIDType}}
	}
	if len(o.ProviderEndpoints) == 0 {
		o.ProviderEndpoints = []string{"http://127.0.0.1:8491/as4", "http://127.0.0.1:8492/as4"}
	}
	return o
}

// New generates the setup: a test CA, one identity per side, and the two
// OOTS P-Modes (request from requester to provider; response and
// exception from provider to requester) with the AS4 profile's security,
// compression on, and retries quick enough for a demo (3 retries from 5 s
// doubling, 30 s receipt time-out). Both configurations are validated.
func New(opts Options) (*Setup, error) {
	o := opts.withDefaults()
	if o.RequesterName == o.ProviderName {
		return nil, fmt.Errorf("demo: requester and provider are both named %q", o.RequesterName)
	}
	pki, err := testpki.New(o.Now)
	if err != nil {
		return nil, err
	}
	reqID, err := pki.Party(o.RequesterName)
	if err != nil {
		return nil, err
	}
	provID, err := pki.Party(o.ProviderName)
	if err != nil {
		return nil, err
	}
	s := &Setup{PKI: pki}
	for _, side := range []struct {
		dst  *Side
		self string
		id   keys.Identity
	}{{&s.Requester, o.RequesterName, reqID}, {&s.Provider, o.ProviderName, provID}} {
		c := config(o, reqID, provID)
		c.Self = side.self
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("demo: %s configuration: %w", side.self, err)
		}
		*side.dst = Side{Config: c, Identity: side.id, Trust: pki.TrustStore()}
	}
	return s, nil
}

// config builds the parties and P-Modes, shared by both sides.
func config(o Options, reqID, provID keys.Identity) *pmode.Config {
	gateway := func(party string) pmode.PartyRef { return pmode.PartyRef{Party: party, Role: pmode.RoleOOTSGateway} }
	rel := pmode.Reliability{
		RetryCount: 3, RetryInterval: 5 * time.Second, BackoffFactor: 2,
		ReceiptTimeout: 30 * time.Second, DuplicateDetection: true,
	}
	pm := func(id, from, to string, max int64, actions ...string) *pmode.PMode {
		p := &pmode.PMode{
			ID: id, MEP: pmode.MEPOneWay, MEPBinding: pmode.MEPBindingPush,
			Initiator: gateway(from), Responder: gateway(to),
			Security: pmode.DefaultSecurity(), Reliability: rel,
			Compress: true, MaxPayloadSize: max,
		}
		for _, a := range actions {
			p.Legs = append(p.Legs, pmode.Leg{Service: Service, ServiceType: ServiceType, Action: a})
		}
		return p
	}
	return &pmode.Config{
		Parties: map[string]*pmode.Party{
			o.RequesterName: {Name: o.RequesterName, IDs: clone(o.RequesterIDs), Endpoints: clone(o.RequesterEndpoints), Cert: reqID.Cert},
			o.ProviderName:  {Name: o.ProviderName, IDs: clone(o.ProviderIDs), Endpoints: clone(o.ProviderEndpoints), Cert: provID.Cert},
		},
		PModes: []*pmode.PMode{
			pm(RequestPMode, o.RequesterName, o.ProviderName, RequestMaxPayloadSize, ActionRequest),
			pm(ResponsePMode, o.ProviderName, o.RequesterName, MaxPayloadSize, ActionResponse, ActionException),
		},
	}
}

func clone[T any](s []T) []T { return append([]T(nil), s...) }
