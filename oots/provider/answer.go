package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// Exception messages of the provider's own error cases, so a requester can
// tell them apart beyond the code.
const (
	// MessageRefused (EDM:ERR:0008): the citizen refused at the preview.
	MessageRefused = "The user refused to share the evidence at the preview"
	// MessageExpired (EDM:ERR:0005): the preview expired before the
	// citizen decided, or the approval before the request came again.
	MessageExpired = "The preview expired"
	// MessageNoPreview (EDM:ERR:0007): the request does not allow a
	// preview, and this provider releases evidence only after one.
	MessageNoPreview = "Evidence is released only after the user's preview"
)

// answer decides the reply to one request. It returns an error only for
// trouble on our side (storage); everything wrong with the request is an
// EDM error reply.
func (p *Provider) answer(ctx context.Context, in *inbound, body []byte, bodyErr error) (*reply, error) {
	if bodyErr != nil {
		return p.invalid(in, body, edm.CodeInvalidRequest, bodyErr.Error()), nil
	}
	req, err := edm.ParseQueryRequest(body)
	if err != nil {
		code := edm.CodeInvalidRequest
		if errors.Is(err, edm.ErrVersion) {
			code = edm.CodeUnsupportedCapability
		}
		return p.invalid(in, body, code, "the request cannot be read: "+err.Error()), nil
	}
	req.ExchangeID = in.ExchangeID
	o := p.cat.find(req.EvidenceRequest.Identifier, req.EvidenceRequest.Classification)
	if o == nil {
		return p.fail(req, p.anyAgent(in, req), edm.CodeUnresolvedReference, fmt.Sprintf(
			"evidence type %q (classification %q) is not served by this provider",
			req.EvidenceRequest.Identifier, req.EvidenceRequest.Classification)), nil
	}
	svc, ok := p.cat.service(o, candidates(in, req))
	if !ok {
		return p.fail(req, p.anyAgent(in, req), edm.CodeUnresolvedReference,
			"the request names no data service of this provider for the evidence type"), nil
	}
	agent := agentOf(svc)
	if req.PreviewLocation == "" {
		return p.first(ctx, in, req, o, svc, agent, body)
	}
	return p.second(ctx, in, req, o, svc, agent)
}

// first answers a request without PreviewLocation: preview required.
func (p *Provider) first(ctx context.Context, in *inbound, req *edm.QueryRequest, o *offer, svc commonsvc.DataService, agent edm.Agent, body []byte) (*reply, error) {
	if !req.PossibilityForPreview {
		r := p.fail(req, agent, edm.CodeUnsupportedCapability, "PossibilityForPreview is false; this provider needs the user's preview")
		r.Message.(*edm.ExceptionResponse).Exception.Message = MessageNoPreview
		return r, nil
	}
	now := p.cfg.Now()
	if _, err := generate(o, svc, req, "en", now); err != nil {
		return p.fail(req, agent, edm.CodeObjectNotFound, err.Error()), nil
	}
	token := previewToken(p.tokenKey, in.Requester, in.ExchangeID)
	pv, err := p.store.insertOnce(ctx, &preview{
		TokenHash: hashToken(token), ExchangeID: in.ExchangeID, Requester: in.Requester,
		ProviderURN: svc.PartyID.URN(), EvidenceType: o.Type.Classification,
		Subject: subjectKey(req), Previewer: previewerKey(req), Request: body,
		Created: now, Expires: now.Add(p.cfg.PreviewTTL),
	})
	if err != nil {
		return nil, err
	}
	// The same request sent again (the requester crashed before it stored
	// our answer) names the preview made the first time.
	switch {
	case pv.State == stateRefused:
		r := p.fail(req, agent, edm.CodeQueryException, "the user refused to share the evidence")
		r.Message.(*edm.ExceptionResponse).Exception.Message = MessageRefused
		return r, nil
	case (pv.State == statePending || pv.State == stateViewed) && !now.Before(pv.Expires):
		return p.expired(req, agent), nil
	}
	x := edm.NewPreviewRequired(req, agent, p.location(token), now)
	x.Exception.PreviewDescription = []edm.Text{{Lang: "EN", Value: "Sign in at " + svc.Provider.Names.Get("EN") + ", look at the evidence and approve or refuse it."}}
	return &reply{Action: as4.ActionExceptionResponse, Message: x, Version: req.Version}, nil
}

// second answers a request with PreviewLocation, after the preview.
func (p *Provider) second(ctx context.Context, in *inbound, req *edm.QueryRequest, o *offer, svc commonsvc.DataService, agent edm.Agent) (*reply, error) {
	token, ok := p.tokenOf(req.PreviewLocation)
	if !ok {
		return p.fail(req, agent, edm.CodeUnresolvedReference, "PreviewLocation is not a preview of this provider"), nil
	}
	pv, err := p.store.get(ctx, hashToken(token))
	if errors.Is(err, errNoPreview) {
		return p.fail(req, agent, edm.CodeUnresolvedReference, "PreviewLocation names no preview"), nil
	}
	if err != nil {
		return nil, err
	}
	withLoc := func(r *reply) *reply {
		r.Message.(*edm.ExceptionResponse).Exception.PreviewLocation = req.PreviewLocation
		return r
	}
	switch {
	case pv.ExchangeID != in.ExchangeID:
		return withLoc(p.fail(req, agent, edm.CodeInvalidRequest, "the preview belongs to another exchange")), nil
	case pv.Requester != in.Requester:
		return withLoc(p.fail(req, agent, edm.CodeFailedAuthentication, "the preview was made for another evidence requester")), nil
	case pv.Subject != subjectKey(req) || pv.Previewer != previewerKey(req):
		return withLoc(p.fail(req, agent, edm.CodeFailedAuthentication, "the subject of the request is not the subject of the preview")), nil
	case pv.EvidenceType != o.Type.Classification || pv.ProviderURN != svc.PartyID.URN():
		return withLoc(p.fail(req, agent, edm.CodeInvalidRequest, "the preview was made for another evidence type or provider")), nil
	}
	now := p.cfg.Now()
	switch pv.State {
	case statePending, stateViewed:
		if !now.Before(pv.Expires) {
			return p.expired(req, agent), nil
		}
		x := edm.NewPreviewRequired(req, agent, req.PreviewLocation, now)
		return &reply{Action: as4.ActionExceptionResponse, Message: x, Version: req.Version}, nil
	case stateRefused:
		r := withLoc(p.fail(req, agent, edm.CodeQueryException, "the user refused to share the evidence"))
		r.Message.(*edm.ExceptionResponse).Exception.Message = MessageRefused
		return r, nil
	}
	err = p.store.markDelivered(ctx, pv.TokenHash, in.MessageID, now)
	switch {
	case errors.Is(err, errState) && pv.State == stateApproved:
		return p.expired(req, agent), nil
	case errors.Is(err, errState):
		return withLoc(p.fail(req, agent, edm.CodeInvalidRequest, "the evidence of this preview was already delivered")), nil
	case err != nil:
		return nil, err
	}
	doc, err := generate(o, svc, req, pv.Language, pv.Created) // the document previewed
	if err != nil {
		return withLoc(p.fail(req, agent, edm.CodeObjectNotFound, err.Error())), nil
	}
	return p.evidence(in, req, o, agent, doc), nil
}

// expired is the EDM:ERR:0005 answer of an expired preview.
func (p *Provider) expired(req *edm.QueryRequest, agent edm.Agent) *reply {
	x := edm.NewTimeout(req, agent, "the preview expired before the evidence could be released", p.cfg.Now())
	x.Exception.Message = MessageExpired
	x.Exception.PreviewLocation = req.PreviewLocation
	return &reply{Action: as4.ActionExceptionResponse, Message: x, Version: req.Version}
}

// evidence is the QueryResponse carrying doc.
func (p *Provider) evidence(in *inbound, req *edm.QueryRequest, o *offer, agent edm.Agent, doc *document) *reply {
	host := strings.ToLower(p.cfg.PModes.Self) + ".provider.vienreiz"
	// R-EDM-RESP-C042: the Content-ID is [a-z0-9]*@…
	cid := "evidence" + strings.ReplaceAll(uuidOf(in.MessageID, "evidence"), "-", "") + "@" + host
	meta := edm.Evidence{
		Identifier:       doc.ID,
		IssuingAuthority: agent,
		IsConformantTo: edm.EvidenceTypeRef{
			Classification: o.Type.Classification, Titles: texts(o.Type.Titles), Descriptions: texts(o.Type.Descriptions),
		},
		IssuingDate:  doc.IssuingDate,
		Distribution: edm.Distribution{Format: doc.Format, ConformsTo: doc.ConformsTo},
	}
	if np := req.NaturalPerson; np != nil {
		meta.NaturalPerson = &edm.Person{Identifier: np.Identifier, FamilyName: np.FamilyName, GivenName: np.GivenName, DateOfBirth: np.DateOfBirth}
	} else {
		lp := req.LegalPerson
		meta.LegalPerson = &edm.LegalPerson{LegalPersonIdentifier: lp.LegalPersonIdentifier, Identifiers: lp.Identifiers, LegalName: lp.LegalName}
	}
	ext := ".pdf"
	if doc.Format != "application/pdf" {
		ext = ".xml"
	}
	item := edm.EvidenceItem{
		ID: "urn:uuid:" + uuidOf(in.MessageID, "evidence-object"), Metadata: meta,
		Attachment: edm.Attachment{Href: "cid:" + cid, Title: doc.Title + ext},
	}
	r := edm.NewQueryResponse(req, agent, p.cfg.Now(), item)
	return &reply{Action: as4.ActionQueryResponse, Message: r, Version: req.Version, Evidence: doc, CID: cid}
}

// fail is an EDM error reply to req.
func (p *Provider) fail(req *edm.QueryRequest, agent edm.Agent, code edm.ErrorCode, detail string) *reply {
	x := edm.NewErrorResponse(req, agent, code, detail, p.cfg.Now())
	return &reply{Action: as4.ActionExceptionResponse, Message: x, Version: req.Version}
}

var uuidURN = regexp.MustCompile(`^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// invalid answers a request that cannot be read: the request id is taken
// from the document when it is a well-formed urn:uuid, the requester from
// the AS4 sender, the version from the SpecificationId property or our
// own.
func (p *Provider) invalid(in *inbound, body []byte, code edm.ErrorCode, detail string) *reply {
	v, err := edm.ParseVersion(in.Delivery.Message.Property(propSpecificationID))
	if err != nil || v.Major() == 0 {
		v = p.defaultVersion()
	}
	req := &edm.QueryRequest{Version: v, ExchangeID: in.ExchangeID}
	if doc, err := xmlsafe.ParseBytes(body); err == nil && doc.Root() != nil {
		if id := doc.Root().SelectAttrValue("id", ""); uuidURN.MatchString(id) {
			req.ID = id
		}
	}
	if req.ID == "" {
		code = edm.CodeInvalidRequest // the only code an answer without request id may carry
	}
	req.EvidenceRequesters = []edm.Agent{p.requesterAgent(in)}
	if len(detail) > 1000 {
		detail = detail[:1000] + "…"
	}
	return p.fail(req, p.anyAgent(in, req), code, detail)
}

// defaultVersion is the EDM version the directory gives our first data
// service.
func (p *Provider) defaultVersion() edm.Version {
	for _, o := range p.cat.offers {
		for _, s := range o.Services {
			if v, err := edm.ParseVersion(s.EDMVersion); err == nil && v.Major() != 0 {
				return v
			}
		}
	}
	return edm.V1
}

// requesterAgent describes the AS4 sender as an agent.
func (p *Provider) requesterAgent(in *inbound) edm.Agent {
	a := edm.Agent{Identifier: edm.Identifier{Value: in.Requester}, Names: []edm.Text{{Lang: "EN", Value: in.Requester}}}
	if f := in.Delivery.From; f != nil && len(f.IDs) > 0 {
		a.Identifier = edm.Identifier{Value: f.IDs[0].Value, SchemeID: f.IDs[0].Type}
	}
	if a.Identifier.Value == "" {
		a.Identifier.Value = "unknown"
		a.Names[0].Value = "unknown"
	}
	return a
}

// anyAgent is the error provider of answers that found no evidence type:
// the data service the request named when the directory knows it, else
// our access point.
func (p *Provider) anyAgent(in *inbound, req *edm.QueryRequest) edm.Agent {
	for _, c := range candidates(in, req) {
		if s, ok := p.cfg.Directory.Service(c.URN()); ok {
			return agentOf(s)
		}
	}
	self, _ := p.cfg.PModes.Party(p.cfg.PModes.Self)
	a := edm.Agent{Names: []edm.Text{{Lang: "EN", Value: "Demo member state " + self.Name}}}
	a.Identifier.Value = self.Name
	if len(self.IDs) > 0 {
		a.Identifier = edm.Identifier{Value: self.IDs[0].Value, SchemeID: self.IDs[0].Type}
	}
	return a
}

// candidates are the party ids the request may address its data service
// by: the EDM EvidenceProvider, the finalRecipient property, eb:To.
func candidates(in *inbound, req *edm.QueryRequest) []commonsvc.PartyID {
	var out []commonsvc.PartyID
	if req != nil && req.EvidenceProvider.Identifier.Value != "" {
		out = append(out, commonsvc.PartyID{Type: req.EvidenceProvider.Identifier.SchemeID, Value: req.EvidenceProvider.Identifier.Value})
	}
	for _, pr := range in.Delivery.Message.Properties {
		if pr.Name == as4.PropFinalRecipient && pr.Value != "" {
			out = append(out, commonsvc.PartyID{Type: pr.Type, Value: pr.Value})
		}
	}
	for _, id := range in.Delivery.Message.To.IDs {
		out = append(out, commonsvc.PartyID{Type: id.Type, Value: id.Value})
	}
	return out
}

// agentOf describes a directory data service's provider as an EDM agent.
func agentOf(s commonsvc.DataService) edm.Agent {
	pr := s.Provider
	a := edm.Agent{
		Identifier: edm.Identifier{Value: pr.ID.Value, SchemeID: pr.ID.Type},
		Names:      texts(pr.Names),
	}
	if pr.Address.Country != "" {
		a.Address = &edm.Address{
			FullAddress: pr.Address.FullAddress, LocatorDesignator: pr.Address.LocatorDesignator,
			PostCode: pr.Address.PostCode, PostCityName: pr.Address.PostCityName,
			Thoroughfare: pr.Address.Thoroughfare, AdminUnitLevel1: pr.Address.Country, AdminUnitLevel2: pr.Address.AdminLevel2,
		}
	}
	if len(a.Names) == 0 {
		a.Names = []edm.Text{{Lang: "EN", Value: pr.ID.Value}}
	}
	return a
}

func texts(ts commonsvc.Texts) []edm.Text {
	out := make([]edm.Text, 0, len(ts))
	for _, t := range ts {
		out = append(out, edm.Text{Lang: t.Lang, Value: t.Value})
	}
	return out
}

var tokenRE = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// location is the PreviewLocation of a token.
func (p *Provider) location(token string) string { return p.previewURL + "/" + token }

// tokenOf returns the token of a PreviewLocation of ours.
func (p *Provider) tokenOf(loc string) (string, bool) {
	t, ok := strings.CutPrefix(loc, p.previewURL+"/")
	if !ok || !tokenRE.MatchString(t) {
		return "", false
	}
	return t, true
}
