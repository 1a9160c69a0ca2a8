package exchange_test

import (
	"bufio"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// Tokens of the mandate flows: Jānis and Ieva of people, an administrator
// and Līga, the representative of Baltic Timber SIA.
const (
	adminToken = "token-admin"
	ligaToken  = "token-liga"
	company    = "LV/LV/40003012345"
)

func mandateServer(t *testing.T) string {
	t.Helper()
	tokens := exchange.BearerTokens{
		adminToken: {Subject: "LV/LV/05058012121", GivenName: "Pēteris", FamilyName: "Admins", DateOfBirth: "1980-05-05", Role: exchange.RoleAdministrator},
		ligaToken:  {Subject: "LV/LV/12087510402", GivenName: "Līga", FamilyName: "Kalniņa", DateOfBirth: "1975-08-12", LevelOfAssurance: "High"},
	}
	for k, v := range people {
		tokens[k] = v
	}
	return start(t, exchange.Config{DataDir: t.TempDir(), Auth: tokens}).URL()
}

// throughPreview takes request id, made by token's person, from the
// explicit request through the preview (opened and approved by them) to
// delivered.
func throughPreview(t *testing.T, base, token, id string) api.Request {
	t.Helper()
	var r api.Request
	if code := call(t, base, token, "POST", "/v1/requests/"+id+"/explicit-request", nil, &r); code != 200 {
		t.Fatalf("explicit request: %d %+v", code, r)
	}
	waitState(t, base, token, id, "preview_required")
	if code := call(t, base, token, "POST", "/v1/requests/"+id+"/preview", nil, &r); code != 200 || r.Preview == nil {
		t.Fatalf("preview: %d %+v", code, r)
	}
	call(t, base, token, "POST", "/v1/requests/"+id+"/preview/decision", api.Decision{Decision: "approve"}, &r)
	return waitState(t, base, token, id, "delivered")
}

// ledgerOf is token's person's ledger export: the entries of request id
// ("" for those of no request: mandates and roles).
func ledgerOf(t *testing.T, base, token, id string) []struct{ Actor, OnBehalfOf, Action string } {
	t.Helper()
	var export struct {
		Entries []struct {
			Actor      string `json:"actor"`
			OnBehalfOf string `json:"on_behalf_of"`
			Action     string `json:"action"`
			RequestID  string `json:"request_id"`
		} `json:"entries"`
	}
	if code := call(t, base, token, "GET", "/v1/ledger?format=json", nil, &export); code != 200 {
		t.Fatalf("ledger export: %d", code)
	}
	var out []struct{ Actor, OnBehalfOf, Action string }
	for _, e := range export.Entries {
		if e.RequestID == id {
			out = append(out, struct{ Actor, OnBehalfOf, Action string }{e.Actor, e.OnBehalfOf, e.Action})
		}
	}
	return out
}

// TestRepresentativesActionsReachTheRepresentedPerson: Līga acts for
// Jānis under his mandate, from the request to the approved preview and
// the delivered evidence. Jānis's own ledger holds each of her steps with
// her as the actor and him as the one acted for, and his inbox has the
// request's messages, the first naming her as the one who made it; the
// request he reads names them both.
func TestRepresentativesActionsReachTheRepresentedPerson(t *testing.T) {
	base := mandateServer(t)
	janis, liga := people[janisToken].Subject, "LV/LV/12087510402"
	var m api.Mandate
	if code := call(t, base, janisToken, "POST", "/v1/mandates", api.NewMandate{Representative: liga, RepresentativeName: "Līga Kalniņa",
		ValidUntil: time.Now().Add(24 * time.Hour)}, &m); code != 201 {
		t.Fatalf("give mandate: %d %+v", code, m)
	}
	var r api.Request
	if code := call(t, base, ligaToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV", MandateID: m.ID}, &r); code != 201 {
		t.Fatalf("request under the mandate: %d %+v", code, r)
	}
	r = throughPreview(t, base, ligaToken, r.ID)
	if given := ledgerOf(t, base, janisToken, ""); len(given) != 1 || given[0].Action != "mandate_given" || given[0].Actor != janis || given[0].OnBehalfOf != janis {
		t.Errorf("Jānis's ledger of his mandate: %+v", given)
	}

	var his api.Request
	call(t, base, janisToken, "GET", "/v1/requests/"+r.ID, nil, &his)
	if !strings.HasPrefix(his.Citizen, "Jānis Bērziņš") || !strings.HasPrefix(his.Representative, "Līga Kalniņa") || len(his.Evidence) == 0 {
		t.Fatalf("Jānis reads citizen %q, representative %q, evidence %d", his.Citizen, his.Representative, len(his.Evidence))
	}

	// The request is his own in his list, and his in hers.
	var hisList, herList api.RequestList
	call(t, base, janisToken, "GET", "/v1/requests", nil, &hisList)
	call(t, base, ligaToken, "GET", "/v1/requests", nil, &herList)
	if len(hisList.Requests) != 1 || hisList.Requests[0].For != "" {
		t.Errorf("Jānis's requests: %+v", hisList.Requests)
	}
	if len(herList.Requests) != 1 || herList.Requests[0].For != janis || herList.Requests[0].ForName != "Jānis Bērziņš" {
		t.Errorf("Līga's requests: %+v", herList.Requests)
	}
	var herView api.Request
	if call(t, base, ligaToken, "GET", "/v1/requests/"+r.ID, nil, &herView); herView.For != janis {
		t.Errorf("Līga reads his request as for %q", herView.For)
	}
	// The document is his own in his list, and his in hers.
	var hisDocs, herDocs api.DocumentList
	call(t, base, janisToken, "GET", "/v1/evidence", nil, &hisDocs)
	call(t, base, ligaToken, "GET", "/v1/evidence", nil, &herDocs)
	if len(hisDocs.Documents) != 1 || hisDocs.Documents[0].For != "" {
		t.Errorf("Jānis's documents: %+v", hisDocs.Documents)
	}
	if len(herDocs.Documents) != 1 || herDocs.Documents[0].For != janis || herDocs.Documents[0].ForName != "Jānis Bērziņš" {
		t.Errorf("Līga's documents: %+v", herDocs.Documents)
	}

	entries := ledgerOf(t, base, janisToken, r.ID)
	var hers []string
	for _, e := range entries {
		if e.OnBehalfOf != janis {
			t.Errorf("an entry of his request is on behalf of %q: %+v", e.OnBehalfOf, e)
		}
		if e.Actor == liga {
			hers = append(hers, e.Action)
		}
	}
	for _, want := range []string{"explicit_request_given", "evidence_viewed", "preview_approved"} {
		if !slices.Contains(hers, want) {
			t.Errorf("Jānis's ledger has no %s by Līga for him; the request's entries: %+v", want, entries)
		}
	}

	// Jānis's inbox hears of each of her steps, from her, and of the
	// provider's delivery.
	var inbox api.Inbox
	call(t, base, janisToken, "GET", "/v1/inbox", nil, &inbox)
	var fromHer, all []string
	for _, it := range inbox.Items {
		if it.RequestID != r.ID {
			continue
		}
		all = append(all, it.Event)
		if it.From.Kind == api.SenderRepresentative && it.From.ID == liga && it.From.Names["lv"] == "Līga Kalniņa" {
			fromHer = append(fromHer, it.Event)
		}
	}
	for _, want := range []string{"created", "explicit_request_given", "preview_approved"} {
		if !slices.Contains(fromHer, want) {
			t.Errorf("Jānis's inbox has no %s from Līga: from her %v, all %v", want, fromHer, all)
		}
	}
	if !slices.Contains(all, "evidence_delivered") {
		t.Errorf("Jānis's inbox has no delivery: %v", all)
	}
	// His timeline says who took each of her steps.
	for _, st := range his.Timeline {
		if st.Event == "explicit_request_given" && !strings.Contains(st.Detail, "by Līga Kalniņa ("+liga+") under a mandate") {
			t.Errorf("the explicit request's step says %q", st.Detail)
		}
	}
}

// TestRequestForACompanyUnderAMandate: an administrator registers that
// Līga may act for Baltic Timber SIA; her request for the company's
// registration proof goes to the provider with the company as the
// LegalPerson (the demo register answers company evidence only for a
// LegalPerson) and is delivered; the company's name is on the request.
// Nobody but an administrator registers a mandate for someone else. In
// Līga's list of documents the company's document says whose it is: her
// wallet showed it as hers, and acting for the company her app could not
// tell that the company held it.
func TestRequestForACompanyUnderAMandate(t *testing.T) {
	base := mandateServer(t)
	liga := "LV/LV/12087510402"
	in := api.NewMandate{Representative: liga, RepresentativeName: "Līga Kalniņa", Represented: company, RepresentedName: "Baltic Timber SIA",
		Services: []string{"lv-register-business"}, ValidUntil: time.Now().Add(24 * time.Hour)}
	var refused api.ErrorBody
	if code := call(t, base, janisToken, "POST", "/v1/mandates", in, &refused); code != 403 {
		t.Fatalf("a citizen registering a company mandate: %d %+v", code, refused)
	}
	var m api.Mandate
	if code := call(t, base, adminToken, "POST", "/v1/mandates", in, &m); code != 201 {
		t.Fatalf("the administrator's company mandate: %d %+v", code, m)
	}
	if given := ledgerOf(t, base, adminToken, ""); len(given) != 1 || given[0].Action != "mandate_given" || given[0].OnBehalfOf != company {
		t.Errorf("the administrator's ledger of the company mandate: %+v", given)
	}
	var r api.Request
	if code := call(t, base, ligaToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-register-business",
		Requirement: reqBase + "d8237836-055a-5ad1-a8a2-104614ee0ad5", Country: "LV", MandateID: m.ID}, &r); code != 201 {
		t.Fatalf("request for the company: %d %+v", code, r)
	}
	if r.Citizen != "Baltic Timber SIA ("+company+")" || !strings.HasPrefix(r.Representative, "Līga Kalniņa") {
		t.Fatalf("the request names %q for %q", r.Representative, r.Citizen)
	}
	r = throughPreview(t, base, ligaToken, r.ID)
	if len(r.Evidence) == 0 {
		t.Fatalf("delivered without evidence: %+v", r)
	}
	var docs api.DocumentList
	call(t, base, ligaToken, "GET", "/v1/evidence", nil, &docs)
	if len(docs.Documents) != 1 || docs.Documents[0].For != company || docs.Documents[0].ForName != "Baltic Timber SIA" {
		t.Fatalf("Līga's documents: %+v", docs.Documents)
	}
	if code := call(t, base, janisToken, "GET", "/v1/requests/"+r.ID, nil, &refused); code != 404 {
		t.Fatalf("someone else reads the company's request: %d", code)
	}
}

// TestRoleChangesAreInTheLedger: the administrator's assigning and
// removing a role are ledger entries on behalf of the person concerned.
func TestRoleChangesAreInTheLedger(t *testing.T) {
	base := mandateServer(t)
	mari := "EE/EE/48504152718"
	if code := call(t, base, adminToken, "POST", "/v1/admin/roles", api.RoleAssignment{Subject: mari, Role: api.RoleClerk, Institution: "LV-UR"}, nil); code != 201 && code != 200 {
		t.Fatalf("assign: %d", code)
	}
	if code := call(t, base, adminToken, "POST", "/v1/admin/roles/remove", api.RoleRemoval{Subject: mari}, nil); code != 200 {
		t.Fatalf("remove: %d", code)
	}
	var actions []string
	for _, e := range ledgerOf(t, base, adminToken, "") {
		if e.OnBehalfOf == mari && e.Actor == "LV/LV/05058012121" {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, ",") != "role_assigned,role_removed" {
		t.Fatalf("the ledger's role changes for Mari: %v", actions)
	}
}

// TestEvidenceAboutACompanyIsAskedForOne: Jānis asked, for himself, for the
// proof of registration a company gives to register a business activity.
// The request went to the provider, which answered that it did not know him
// (EDM:ERR:0004), and the app told him to check his profile. Evidence the
// catalogue says is about a company is now refused for a person before
// anything is sent (422 evidence_for_companies), as is evidence about a
// person asked for a company (evidence_for_persons); acting for the
// company, both of the service's pieces of evidence come.
func TestEvidenceAboutACompanyIsAskedForOne(t *testing.T) {
	base := mandateServer(t)
	registration := reqBase + "d8237836-055a-5ad1-a8a2-104614ee0ad5"
	var refused api.ErrorBody
	code := call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-register-business", Requirement: registration, Country: "LV"}, &refused)
	if code != 422 || refused.Error.Code != api.CodeEvidenceForCompanies || !strings.Contains(refused.Error.Message, "company") {
		t.Fatalf("a person asking for a company's registration: %d %+v", code, refused)
	}
	var mine api.RequestList
	if call(t, base, janisToken, "GET", "/v1/requests", nil, &mine); mine.Count != 0 {
		t.Fatalf("the refused request was made: %+v", mine)
	}

	var m api.Mandate
	if code := call(t, base, adminToken, "POST", "/v1/mandates", api.NewMandate{Representative: "LV/LV/12087510402", RepresentativeName: "Līga Kalniņa",
		Represented: company, RepresentedName: "Baltic Timber SIA", ValidUntil: time.Now().Add(24 * time.Hour)}, &m); code != 201 || !m.Company {
		t.Fatalf("the company mandate: %d %+v", code, m)
	}
	code = call(t, base, ligaToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV", MandateID: m.ID}, &refused)
	if code != 422 || refused.Error.Code != api.CodeEvidenceForPersons {
		t.Fatalf("a company asking for a proof of birth: %d %+v", code, refused)
	}
	for _, requirement := range []string{registration, reqBase + "13173c25-a0a9-518b-a3d1-89d554b00d6b"} { // and no tax debt
		var r api.Request
		if code := call(t, base, ligaToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-register-business", Requirement: requirement, Country: "LV", MandateID: m.ID}, &r); code != 201 {
			t.Fatalf("the company's %s: %d %+v", requirement, code, r)
		}
		if r = throughPreview(t, base, ligaToken, r.ID); len(r.Evidence) == 0 {
			t.Fatalf("the company's %s came without evidence: %+v", requirement, r)
		}
	}

	var self api.Mandate
	if code := call(t, base, janisToken, "POST", "/v1/mandates", api.NewMandate{Representative: "LV/LV/12087510402", RepresentativeName: "Līga Kalniņa",
		ValidUntil: time.Now().Add(24 * time.Hour)}, &self); code != 201 || self.Company {
		t.Fatalf("a person's own mandate: %d %+v", code, self)
	}
}

// TestDemoCompanyMandatesAreRegisteredOnce: the development provider's
// page says Līga represents Baltic Timber SIA, yet she could act for
// nobody until an administrator registered the mandate (found trying the
// clerk's desk with make run: the Register of Enterprises' services need a
// company, and nobody could act for one). The service registers the demo
// data's company mandates at start: once, and not again after an
// administrator revoked one.
func TestDemoCompanyMandatesAreRegisteredOnce(t *testing.T) {
	dir := t.TempDir()
	tokens := exchange.BearerTokens{
		adminToken: {Subject: "LV/LV/05058012121", GivenName: "Pēteris", FamilyName: "Admins", Role: exchange.RoleAdministrator},
		ligaToken:  {Subject: "LV/LV/12087510402", GivenName: "Līga", FamilyName: "Kalniņa", DateOfBirth: "1975-08-12"},
	}
	seed := []api.NewMandate{{Representative: "LV/LV/12087510402", RepresentativeName: "Līga Kalniņa", Represented: company,
		RepresentedName: "Baltic Timber SIA", ValidUntil: time.Now().AddDate(1, 0, 0)}}
	held := func(base string) []api.Mandate {
		var list api.MandateList
		if code := call(t, base, ligaToken, "GET", "/v1/mandates", nil, &list); code != 200 {
			t.Fatalf("Līga's mandates: %d", code)
		}
		return list.Held
	}
	restart := func(prev *exchange.Server) *exchange.Server {
		if prev != nil {
			if err := prev.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		return start(t, exchange.Config{DataDir: dir, Auth: tokens, CompanyMandates: seed})
	}
	srv := restart(nil)
	first := held(srv.URL())
	if len(first) != 1 || !first[0].Company || first[0].Represented != company || first[0].Status != "active" || first[0].CreatedBy != exchange.DemoRegistrar {
		t.Fatalf("Līga's mandates after the first start: %+v", first)
	}
	srv = restart(srv)
	if again := held(srv.URL()); len(again) != 1 || again[0].ID != first[0].ID {
		t.Fatalf("after a restart: %+v", again)
	}
	if code := call(t, srv.URL(), adminToken, "POST", "/v1/mandates/"+first[0].ID+"/revoke", nil, nil); code != 200 {
		t.Fatalf("the administrator revoking it: %d", code)
	}
	srv = restart(srv)
	if after := held(srv.URL()); len(after) != 1 || after[0].Status != "revoked" {
		t.Fatalf("after a revocation and a restart: %+v", after)
	}
}

// urClerkToken is a clerk of the Register of Enterprises, whose services a
// company applies for.
const urClerkToken = "token-ur-clerk"

// companyApplication starts a service with Līga, an administrator, Jānis
// and a clerk of the Register of Enterprises, has the administrator
// register Līga's mandate for Baltic Timber SIA and Līga apply for the
// company's registration proof under it; it returns the service's URL,
// the request and the mandate's id.
func companyApplication(t *testing.T) (base string, r api.Request, mandate string) {
	t.Helper()
	base, mandate = companyMandate(t)
	if code := call(t, base, ligaToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-register-business",
		Requirement: reqBase + "d8237836-055a-5ad1-a8a2-104614ee0ad5", Country: "LV", MandateID: mandate}, &r); code != 201 {
		t.Fatalf("the application for the company: %d", code)
	}
	return base, r, mandate
}

// companyMandate starts the service of companyApplication, with Līga's
// mandate for Baltic Timber SIA registered, and returns the mandate's id.
func companyMandate(t *testing.T) (base, mandate string) {
	t.Helper()
	tokens := exchange.BearerTokens{
		adminToken:   {Subject: "LV/LV/05058012121", GivenName: "Pēteris", FamilyName: "Admins", DateOfBirth: "1980-05-05", Role: exchange.RoleAdministrator},
		ligaToken:    {Subject: "LV/LV/12087510402", GivenName: "Līga", FamilyName: "Kalniņa", DateOfBirth: "1975-08-12", LevelOfAssurance: "High"},
		urClerkToken: {Subject: "LV/LV/23038811111", GivenName: "Anna", FamilyName: "Ozola", Role: exchange.RoleClerk, Institution: "LV-UR"},
		janisToken:   people[janisToken],
	}
	base = start(t, exchange.Config{DataDir: t.TempDir(), Auth: tokens}).URL()
	var m api.Mandate
	if code := call(t, base, adminToken, "POST", "/v1/mandates", api.NewMandate{Representative: tokens[ligaToken].Subject, RepresentativeName: "Līga Kalniņa",
		Represented: company, RepresentedName: "Baltic Timber SIA", ValidUntil: time.Now().Add(24 * time.Hour)}, &m); code != 201 {
		t.Fatalf("the company mandate: %d", code)
	}
	return base, m.ID
}

// TestRepresentativeContinuesOnHerPhone: Līga opened her company's request
// on the desktop, chose "Continue on my phone" and typed the code into her
// signed-out phone, which answered "This code is for a signed-in person"
// although the dialog said a signed-out phone is signed in as her (found
// trying the app): the code was bound to the company, which no one signs in
// as, so signed in it would have been another person's. A representative's
// code signs her phone in and opens the request there, or opens it on her
// signed-in phone; someone else is refused. A clerk's handover of a
// company's request goes to the person who acts for the company.
func TestRepresentativeContinuesOnHerPhone(t *testing.T) {
	base, r, _ := companyApplication(t)
	liga := "LV/LV/12087510402"
	handoff := func(token string) api.Handoff {
		t.Helper()
		var h api.Handoff
		if code := call(t, base, token, "POST", "/v1/handoffs", api.NewHandoff{RequestID: r.ID}, &h); code != 201 {
			t.Fatalf("%s's handoff of the request: %d", token, code)
		}
		return h
	}

	var phone api.DeviceGrant
	if code := call(t, base, "", "POST", "/v1/devices/pair", api.DevicePairing{Code: handoff(ligaToken).Code, Device: "Līga's phone"}, &phone); code != 201 ||
		phone.Person.Identifier != liga || phone.RequestID != r.ID {
		t.Fatalf("her signed-out phone: %d %+v", code, phone)
	}
	var onPhone api.Request
	if code := call(t, base, phone.AccessToken, "GET", "/v1/requests/"+r.ID, nil, &onPhone); code != 200 || onPhone.For != company {
		t.Fatalf("her phone reads the request: %d %+v", code, onPhone)
	}

	var opened api.Request
	if code := call(t, base, ligaToken, "POST", "/v1/handoffs/redeem", api.Redeem{Code: handoff(ligaToken).Code}, &opened); code != 200 || opened.ID != r.ID {
		t.Fatalf("her signed-in phone: %d %+v", code, opened)
	}
	var refused api.ErrorBody
	if code := call(t, base, janisToken, "POST", "/v1/handoffs/redeem", api.Redeem{Code: handoff(ligaToken).Code}, &refused); code != 403 || refused.Error.Code != api.CodeHandoffOtherPerson {
		t.Fatalf("someone else redeems her code: %d %+v", code, refused)
	}
	if code := call(t, base, ligaToken, "POST", "/v1/handoffs/redeem", api.Redeem{Code: handoff(urClerkToken).Code}, &opened); code != 200 || opened.ID != r.ID {
		t.Fatalf("the clerk's handover on her phone: %d %+v", code, opened)
	}
}

// TestCompanyApplicationReachesItsRepresentative: nobody signs in as a
// company, yet everything about Baltic Timber SIA's application went to
// the company alone: the clerk's messages and the provider's steps to its
// inbox, the live events to its streams, and a clerk's ask for missing
// evidence became a request of the company's that no one could list or
// confirm (and that would have asked the provider about a person with the
// company's identifier). Līga, who made the application, now hears of it
// (inbox and events) and finds the ask among her requests, about the
// company and under her mandate, and takes it to the delivery.
func TestCompanyApplicationReachesItsRepresentative(t *testing.T) {
	base, app, mandate := companyApplication(t)

	// Her event stream hears of the clerk's message.
	stream, err := http.NewRequest("GET", base+"/v1/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream = stream.WithContext(ctx)
	stream.Header.Set("Authorization", "Bearer "+ligaToken)
	resp, err := http.DefaultClient.Do(stream)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	heard := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			if strings.Contains(lines.Text(), api.EventStatusPosted) {
				heard <- lines.Text()
				return
			}
		}
		close(heard)
	}()
	if code := call(t, base, urClerkToken, "POST", "/v1/requests/"+app.ID+"/status", api.StatusChange{Message: "We are checking the registration."}, nil); code != 200 {
		t.Fatalf("the clerk's message: %d", code)
	}
	if line, ok := <-heard; !ok || !strings.Contains(line, app.ID) {
		t.Fatalf("her stream did not hear of the clerk's message (%q)", line)
	}
	var inbox api.Inbox
	call(t, base, ligaToken, "GET", "/v1/inbox", nil, &inbox)
	if !slices.ContainsFunc(inbox.Items, func(it api.InboxItem) bool { return it.RequestID == app.ID && it.Event == api.EventStatusPosted }) {
		t.Fatalf("her inbox has no word of the clerk's message: %+v", inbox.Items)
	}
	if slices.ContainsFunc(inbox.Items, func(it api.InboxItem) bool { return it.From.Kind == api.SenderRepresentative }) {
		t.Fatalf("her inbox tells her of her own steps as a representative's: %+v", inbox.Items)
	}

	taxDebt := reqBase + "13173c25-a0a9-518b-a3d1-89d554b00d6b"
	var asked api.Request
	if code := call(t, base, urClerkToken, "POST", "/v1/requests/"+app.ID+"/ask-evidence", api.EvidenceAsk{Requirement: taxDebt, Country: "LV", Message: "We need the tax certificate."}, &asked); code != 201 && code != 200 {
		t.Fatalf("the ask: %d", code)
	}
	var list api.RequestList
	call(t, base, ligaToken, "GET", "/v1/requests", nil, &list)
	i := slices.IndexFunc(list.Requests, func(r api.Request) bool { return r.ID == asked.ID })
	if i < 0 || list.Requests[i].For != company || list.Requests[i].MandateID != mandate {
		t.Fatalf("the ask among her requests: %+v", list.Requests)
	}
	call(t, base, ligaToken, "GET", "/v1/inbox", nil, &inbox)
	if !slices.ContainsFunc(inbox.Items, func(it api.InboxItem) bool { return it.RequestID == asked.ID && it.Event == api.EventEvidenceAsked }) {
		t.Fatalf("her inbox has no word of the ask: %+v", inbox.Items)
	}
	if r := throughPreview(t, base, ligaToken, asked.ID); len(r.Evidence) == 0 {
		t.Fatalf("the asked evidence was not delivered: %+v", r)
	}
}
