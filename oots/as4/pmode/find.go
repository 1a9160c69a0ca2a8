package pmode

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNoPMode is wrapped by Find when no P-Mode matches.
var ErrNoPMode = errors.New("pmode: no matching P-Mode")

// ErrAmbiguousPMode is wrapped by Find when more than one P-Mode matches.
var ErrAmbiguousPMode = errors.New("pmode: more than one P-Mode matches")

// ErrUnknownParty is wrapped by Party when the name is not configured.
var ErrUnknownParty = errors.New("pmode: unknown party")

// Find returns the one P-Mode that has a leg with service and action and
// whose responder is responderParty (a party name). An empty
// responderParty matches any responder. It fails with ErrNoPMode or
// ErrAmbiguousPMode, naming the candidates.
func (c *Config) Find(service, action, responderParty string) (*PMode, error) {
	var found []*PMode
	for _, pm := range c.PModes {
		if responderParty != "" && pm.Responder.Party != responderParty {
			continue
		}
		if pm.HasLeg(service, action) {
			found = append(found, pm)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w for service %q, action %q, responder %q", ErrNoPMode, service, action, responderParty)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, pm := range found {
		ids[i] = pm.ID
	}
	return nil, fmt.Errorf("%w for service %q, action %q, responder %q: %s", ErrAmbiguousPMode, service, action, responderParty, strings.Join(ids, ", "))
}

// HasLeg reports whether the P-Mode carries the service and action.
func (p *PMode) HasLeg(service, action string) bool {
	for _, l := range p.Legs {
		if l.Service == service && l.Action == action {
			return true
		}
	}
	return false
}

// ByID returns the P-Mode with the given ID, or nil.
func (c *Config) ByID(id string) *PMode {
	for _, pm := range c.PModes {
		if pm.ID == id {
			return pm
		}
	}
	return nil
}

// Party returns the named party or an error wrapping ErrUnknownParty.
func (c *Config) Party(name string) (*Party, error) {
	if p, ok := c.Parties[name]; ok && p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownParty, name)
}

// PartyByID returns the party that has the identifier (value and type;
// an empty typ matches an identifier without type), or nil.
func (c *Config) PartyByID(value, typ string) *Party {
	for _, p := range c.Parties {
		for _, id := range p.IDs {
			if id.Value == value && id.Type == typ {
				return p
			}
		}
	}
	return nil
}

// Match returns the P-Mode for a received (or sent) user message: the one
// whose initiator and responder are the named parties and that carries
// the service and action. Empty party names match any party.
func (c *Config) Match(initiator, responder, service, action string) (*PMode, error) {
	var found []*PMode
	for _, pm := range c.PModes {
		if (initiator == "" || pm.Initiator.Party == initiator) &&
			(responder == "" || pm.Responder.Party == responder) && pm.HasLeg(service, action) {
			found = append(found, pm)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w for service %q, action %q from %q to %q", ErrNoPMode, service, action, initiator, responder)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, pm := range found {
		ids[i] = pm.ID
	}
	return nil, fmt.Errorf("%w for service %q, action %q from %q to %q: %s", ErrAmbiguousPMode, service, action, initiator, responder, strings.Join(ids, ", "))
}

// Leg returns the leg of the P-Mode with service and action, or false.
func (p *PMode) Leg(service, action string) (Leg, bool) {
	for _, l := range p.Legs {
		if l.Service == service && l.Action == action {
			return l, true
		}
	}
	return Leg{}, false
}
