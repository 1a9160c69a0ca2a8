package domibus

import (
	"fmt"
)

// checkReferences reports duplicate names per kind and names that legs,
// processes, property sets and payload profiles use but nobody defines.
func (p *parser) checkReferences(f *File) {
	sets := map[string]map[string]bool{}
	define := func(kind string, names ...string) {
		s := map[string]bool{}
		for _, n := range names {
			if n == "" {
				continue
			}
			if s[n] {
				p.errs = append(p.errs, fmt.Errorf("%s %q is defined twice", kind, n))
			}
			s[n] = true
		}
		sets[kind] = s
	}
	define("mpc", names(f.MPCs, func(v MPC) string { return v.Name })...)
	define("role", names(f.Roles, nv)...)
	define("partyIdType", names(f.PartyIDTypes, nv)...)
	define("party", names(f.Parties, func(v Party) string { return v.Name })...)
	define("mep", names(f.MEPs, nv)...)
	define("binding", names(f.Bindings, nv)...)
	define("property", names(f.Properties, func(v Property) string { return v.Name })...)
	define("propertySet", names(f.PropertySets, func(v PropertySet) string { return v.Name })...)
	define("payload", names(f.Payloads, func(v Payload) string { return v.Name })...)
	define("payloadProfile", names(f.PayloadProfiles, func(v PayloadProfile) string { return v.Name })...)
	define("security", names(f.Securities, func(v Security) string { return v.Name })...)
	define("errorHandling", names(f.ErrorHandlings, func(v ErrorHandling) string { return v.Name })...)
	define("agreement", names(f.Agreements, func(v Agreement) string { return v.Name })...)
	define("service", names(f.Services, func(v Service) string { return v.Name })...)
	define("action", names(f.Actions, nv)...)
	define("receptionAwareness", names(f.ReceptionAwares, func(v ReceptionAwareness) string { return v.Name })...)
	define("reliability", names(f.Reliabilities, func(v Reliability) string { return v.Name })...)
	define("splitting", names(f.Splittings, func(v Splitting) string { return v.Name })...)
	define("legConfiguration", names(f.Legs, func(v Leg) string { return v.Name })...)
	define("process", names(f.Processes, func(v Process) string { return v.Name })...)

	ref := func(owner, attr, kind, name string) {
		if name == "" {
			return // a missing required attribute is already reported
		}
		if !sets[kind][name] {
			p.errs = append(p.errs, fmt.Errorf("%s @%s: unknown %s %q", owner, attr, kind, name))
		}
	}
	if f.Party != "" && !sets["party"][f.Party] {
		p.errs = append(p.errs, fmt.Errorf("configuration @party: unknown party %q", f.Party))
	}
	for _, ps := range f.PropertySets {
		for _, n := range ps.Properties {
			ref(fmt.Sprintf("propertySet %q propertyRef", ps.Name), "property", "property", n)
		}
	}
	for _, pp := range f.PayloadProfiles {
		for _, n := range pp.Attachments {
			ref(fmt.Sprintf("payloadProfile %q attachment", pp.Name), "name", "payload", n)
		}
	}
	for _, l := range f.Legs {
		owner := fmt.Sprintf("legConfiguration %q", l.Name)
		ref(owner, "service", "service", l.Service)
		ref(owner, "action", "action", l.Action)
		ref(owner, "defaultMpc", "mpc", l.DefaultMPC)
		ref(owner, "reliability", "reliability", l.Reliability)
		ref(owner, "security", "security", l.Security)
		ref(owner, "receptionAwareness", "receptionAwareness", l.ReceptionAwareness)
		ref(owner, "propertySet", "propertySet", l.PropertySet)
		ref(owner, "payloadProfile", "payloadProfile", l.PayloadProfile)
		ref(owner, "errorHandling", "errorHandling", l.ErrorHandling)
		ref(owner, "splitting", "splitting", l.Splitting)
	}
	for _, pr := range f.Processes {
		owner := fmt.Sprintf("process %q", pr.Name)
		ref(owner, "agreement", "agreement", pr.Agreement)
		ref(owner, "mep", "mep", pr.MEP)
		ref(owner, "binding", "binding", pr.Binding)
		ref(owner, "initiatorRole", "role", pr.InitiatorRole)
		ref(owner, "responderRole", "role", pr.ResponderRole)
		for _, n := range pr.InitiatorParties {
			ref(owner+" initiatorParty", "name", "party", n)
		}
		for _, n := range pr.ResponderParties {
			ref(owner+" responderParty", "name", "party", n)
		}
		for _, n := range pr.Legs {
			ref(owner+" leg", "name", "legConfiguration", n)
		}
	}
}

func names[T any](items []T, key func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}

func nv(v NamedValue) string { return v.Name }
