package exchange_test

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// deskTokens are a citizen, a clerk of the University of Latvia (LV-LU,
// which runs lv-university-admission), a clerk of the civil registry
// (LV-DZS) and a second citizen.
var deskTokens = exchange.BearerTokens{
	janisToken:  people[janisToken],
	ievaToken:   people[ievaToken],
	"clerk-lu":  {Subject: "LV/LV/230388-33333", GivenName: "Līga", FamilyName: "Ozola", Role: exchange.RoleClerk, Institution: "LV-LU"},
	"clerk-dzs": {Subject: "LV/LV/230388-44444", GivenName: "Anna", FamilyName: "Liepa", Role: exchange.RoleClerk, Institution: "LV-DZS"},
}

const proofOfSecondaryEducation = reqBase + "6e34d571-ce17-52c5-b869-3444002fee1d"

// deliverAs takes request id through the citizen's explicit request, the
// provider's preview and the approval to delivery.
func deliverAs(t *testing.T, base, token, id string) api.Request {
	t.Helper()
	var r api.Request
	if code := call(t, base, token, "POST", "/v1/requests/"+id+"/explicit-request", nil, &r); code != 200 {
		t.Fatalf("explicit request: %d", code)
	}
	waitState(t, base, token, id, "preview_required")
	call(t, base, token, "POST", "/v1/requests/"+id+"/preview", nil, &r)
	call(t, base, token, "POST", "/v1/requests/"+id+"/preview/decision", api.Decision{Decision: "approve"}, &r)
	return waitState(t, base, token, id, "delivered")
}

func myRequests(t *testing.T, base, token string) []api.Request {
	t.Helper()
	return listAt(t, base, token, "/v1/requests")
}

// deskQueue is a clerk's queue: their institution's applications.
func deskQueue(t *testing.T, base, token string) []api.Request {
	t.Helper()
	return listAt(t, base, token, "/v1/desk")
}

func idsOf(list []api.Request) []string {
	ids := make([]string, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	return ids
}

func listAt(t *testing.T, base, token, path string) []api.Request {
	t.Helper()
	var list api.RequestList
	if code := call(t, base, token, "GET", path, nil, &list); code != 200 {
		t.Fatalf("GET %s: %d", path, code)
	}
	return list.Requests
}

// TestAClerksOwnRequestsAreTheirs: a clerk's list of requests was their
// institution's queue, so the app showed a clerk other people's requests
// as theirs ("Waiting for your explicit request"), a service page named a
// citizen's request as the clerk's own, and its "I request this evidence"
// answered "This item no longer exists" (found as a clerk of a busy
// institution). A clerk's requests are their own, as anyone's; the queue
// is GET /v1/desk, for clerks only.
func TestAClerksOwnRequestsAreTheirs(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: deskTokens}).URL()
	var citizens, own api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-university-admission", Requirement: proofOfSecondaryEducation, Country: "LV"}, &citizens)
	if code := call(t, base, "clerk-lu", "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &own); code != 201 {
		t.Fatalf("the clerk's own request: %d", code)
	}
	if mine := myRequests(t, base, "clerk-lu"); len(mine) != 1 || mine[0].ID != own.ID {
		t.Fatalf("the clerk's requests are %v, want their own %s alone", idsOf(mine), own.ID)
	}
	if queue := deskQueue(t, base, "clerk-lu"); len(queue) != 1 || queue[0].ID != citizens.ID {
		t.Fatalf("the clerk's queue holds %v, want the citizen's application %s", idsOf(queue), citizens.ID)
	}
	var e api.ErrorBody
	if code := call(t, base, janisToken, "GET", "/v1/desk", nil, &e); code != 403 {
		t.Fatalf("a citizen's GET /v1/desk: %d %+v, want 403", code, e)
	}
}

// TestClerkAsksForMissingEvidence: a clerk of the university asks the
// applicant for a proof of birth. The citizen gets a request of their own
// that names the university and its message and waits for their explicit
// request: nothing is sent before it, and after it the evidence comes as
// for any request. The ask is on the application's timeline and in the
// citizen's ledger; bad asks and other people's asks start nothing.
func TestClerkAsksForMissingEvidence(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: deskTokens}).URL()
	var app api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-university-admission", Requirement: proofOfSecondaryEducation, Country: "LV"}, &app); code != 201 {
		t.Fatalf("applying: %d", code)
	}
	ask := api.EvidenceAsk{Requirement: proofOfBirth, Country: "LV", Message: "Your application lacks a proof of birth.\nPlease confirm the request below."}
	path := "/v1/requests/" + app.ID + "/ask-evidence"
	var e api.ErrorBody
	refusals := []struct {
		token string
		body  api.EvidenceAsk
		code  int
	}{
		{janisToken, ask, 403},  // the citizen asks themselves
		{"clerk-dzs", ask, 404}, // a clerk of another institution
		{"clerk-lu", api.EvidenceAsk{Requirement: proofOfResidence, Country: "LV", Message: "x"}, 400}, // not a requirement of the service
		{"clerk-lu", api.EvidenceAsk{Requirement: proofOfBirth, Country: "XX", Message: "x"}, 400},
		{"clerk-lu", api.EvidenceAsk{Requirement: proofOfBirth, Country: "LV", Message: " \n "}, 400},
	}
	for _, r := range refusals {
		if code := call(t, base, r.token, "POST", path, r.body, &e); code != r.code {
			t.Fatalf("%s asking %+v: %d %+v, want %d", r.token, r.body, code, e, r.code)
		}
	}
	if n := len(myRequests(t, base, janisToken)); n != 1 {
		t.Fatalf("refused asks started requests: the citizen has %d", n)
	}

	var asked api.Request
	if code := call(t, base, "clerk-lu", "POST", path, ask, &asked); code != 201 {
		t.Fatalf("asking: %d", code)
	}
	if asked.AskedBy == nil || asked.AskedBy.ID != "LV-LU" || asked.ForApplication != app.ID || asked.Requirement != proofOfBirth {
		t.Fatalf("the new request: asked by %+v for %q, requirement %s", asked.AskedBy, asked.ForApplication, asked.Requirement)
	}
	var mine api.Request
	if code := call(t, base, janisToken, "GET", "/v1/requests/"+asked.ID, nil, &mine); code != 200 {
		t.Fatalf("the citizen reads the asked request: %d", code)
	}
	first := mine.Timeline[0]
	if first.Event != api.EventEvidenceAsked || first.Detail != ask.Message || first.From == nil || first.From.Name.In("en") != "University of Latvia" {
		t.Fatalf("the asked request starts with %+v", first)
	}
	time.Sleep(300 * time.Millisecond) // a send, were there one, has happened by now
	call(t, base, janisToken, "GET", "/v1/requests/"+asked.ID, nil, &mine)
	if mine.State != "ready" || strings.Contains(events(mine), "query_sent") || strings.Contains(events(mine), "explicit_request_given") {
		t.Fatalf("before the citizen's explicit request the request is %s: %s", mine.State, events(mine))
	}
	call(t, base, janisToken, "GET", "/v1/requests/"+app.ID, nil, &app)
	if last := app.Timeline[len(app.Timeline)-1]; last.Event != api.EventEvidenceAsked || last.Detail != ask.Message || last.From == nil || last.From.ID != "LV-LU" {
		t.Fatalf("the application's timeline ends with %+v", last)
	}
	var ledger bytes.Buffer
	download(t, base, janisToken, "/v1/ledger?format=csv", &ledger)
	if !strings.Contains(ledger.String(), "LV/LV/230388-33333,LV/LV/01019012345,evidence_asked,"+proofOfBirth) {
		t.Fatalf("the citizen's ledger does not name the clerk's ask:\n%s", ledger.String())
	}

	var inbox api.Inbox
	call(t, base, janisToken, "GET", "/v1/inbox", nil, &inbox)
	var asks []api.InboxItem
	for _, it := range inbox.Items {
		if it.Event == api.EventEvidenceAsked {
			asks = append(asks, it)
		}
	}
	if len(asks) != 1 || asks[0].RequestID != asked.ID || !asks[0].ActionNeeded || asks[0].From.Kind != api.SenderInstitution ||
		asks[0].From.ID != "LV-LU" || asks[0].Detail != ask.Message {
		t.Fatalf("the citizen's inbox items of the ask: %+v", asks)
	}

	delivered := deliverAs(t, base, janisToken, asked.ID)
	if len(delivered.Evidence) == 0 {
		t.Fatal("the asked evidence came without a document")
	}
	var seen api.Request
	if code := call(t, base, "clerk-lu", "GET", "/v1/requests/"+asked.ID, nil, &seen); code != 200 || seen.State != "delivered" {
		t.Fatalf("the clerk reads the asked evidence: %d %s", code, seen.State)
	}
}

// download GETs path as token's person into w and fails on a non-200.
func download(t *testing.T, base, token, path string, w io.Writer) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	io.Copy(w, resp.Body)
}

// upload POSTs a result document as token's person and returns the status
// and the error answer's message.
func upload(t *testing.T, base, token, id, title, contentType string, data []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/v1/requests/"+id+"/result?title="+title, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// A small PDF and PNG for result documents.
var (
	resultPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	resultPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
)

// TestClerkAttachesResultDocument: after the evidence came, the clerk
// attaches the decision as a PDF; the citizen has it in the wallet with
// the civil registry as issuer, byte for byte, and a timeline step says
// so. Oversize, mistyped, untitled and empty documents, documents for an
// application still waiting for its evidence, and other people's uploads
// are refused with a clear answer and change nothing.
func TestClerkAttachesResultDocument(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: deskTokens}).URL()
	var app, open api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &app)
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "EE"}, &open)
	app = deliverAs(t, base, janisToken, app.ID)
	evidence := len(app.Evidence)
	var e api.ErrorBody

	refusals := []struct {
		name, token, id, title, contentType string
		data                                []byte
		code                                int
		says                                string
	}{
		{"too large", "clerk-dzs", app.ID, "Decision", "application/pdf", append(append([]byte{}, resultPDF...), make([]byte, api.MaxResultSize)...), 413, "at most 10 MiB"},
		{"a PNG sent as PDF", "clerk-dzs", app.ID, "Decision", "application/pdf", resultPNG, 415, "not a application/pdf"},
		{"a text file", "clerk-dzs", app.ID, "Decision", "text/plain", []byte("approved"), 415, "PDF, PNG or JPEG"},
		{"no title", "clerk-dzs", app.ID, "", "application/pdf", resultPDF, 400, "title"},
		{"empty", "clerk-dzs", app.ID, "Decision", "application/pdf", nil, 400, "empty"},
		{"the evidence is not there yet", "clerk-dzs", open.ID, "Decision", "application/pdf", resultPDF, 409, "still under way"},
		{"the citizen", janisToken, app.ID, "Decision", "application/pdf", resultPDF, 403, "only a clerk"},
		{"a clerk elsewhere", "clerk-lu", app.ID, "Decision", "application/pdf", resultPDF, 404, "no such request"},
	}
	for _, r := range refusals {
		if code, msg := upload(t, base, r.token, r.id, r.title, r.contentType, r.data); code != r.code || !strings.Contains(msg, r.says) {
			t.Errorf("%s: %d %s, want %d saying %q", r.name, code, msg, r.code, r.says)
		}
	}
	var docs api.DocumentList
	call(t, base, janisToken, "GET", "/v1/evidence", nil, &docs)
	if docs.Count != evidence {
		t.Fatalf("after the refusals the wallet holds %d documents, want %d", docs.Count, evidence)
	}

	if code, msg := upload(t, base, "clerk-dzs", app.ID, "Birth%20certificate", "application/pdf", resultPDF); code != 200 {
		t.Fatalf("attaching: %d %s", code, msg)
	}
	call(t, base, janisToken, "GET", "/v1/evidence", nil, &docs)
	if docs.Count != evidence+1 {
		t.Fatalf("the wallet holds %d documents, want %d", docs.Count, evidence+1)
	}
	result := docs.Documents[0] // newest first
	if result.Issuer == nil || result.Issuer.ID != "LV-DZS" || result.Provider != "Civil registry office" || result.Title["EN"] != "Birth certificate" ||
		result.Requirement != "" || result.File.ContentType != "application/pdf" || result.File.Size != int64(len(resultPDF)) {
		t.Fatalf("the result in the wallet: %+v", result)
	}
	var got bytes.Buffer
	download(t, base, janisToken, "/v1/requests/"+app.ID+"/evidence/"+strconv.Itoa(result.File.Index), &got)
	if !bytes.Equal(got.Bytes(), resultPDF) {
		t.Fatalf("downloaded %q", got.String())
	}
	call(t, base, janisToken, "GET", "/v1/requests/"+app.ID, nil, &app)
	if last := app.Timeline[len(app.Timeline)-1]; last.Event != api.EventResultAttached || last.Detail != "Birth certificate" || last.From == nil || last.From.ID != "LV-DZS" {
		t.Fatalf("the timeline ends with %+v", last)
	}
	var trail api.LedgerTrail
	if code := call(t, base, "clerk-dzs", "GET", "/v1/requests/"+app.ID+"/ledger", nil, &trail); code != 200 {
		t.Fatalf("the clerk reads the ledger trail: %d", code)
	}
	var actions []string
	for _, e := range trail.Entries {
		if e.Hash == "" || e.OnBehalfOf != "LV/LV/01019012345" {
			t.Fatalf("trail entry %+v", e)
		}
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); !strings.HasPrefix(got, "explicit_request_given,") || !strings.Contains(got, ",evidence_delivered,") || !strings.Contains(got, ",result_attached,evidence_downloaded") {
		t.Fatalf("the application's ledger trail: %s", got)
	}
	if code := call(t, base, "clerk-lu", "GET", "/v1/requests/"+app.ID+"/ledger", nil, &e); code != 404 {
		t.Fatalf("a clerk elsewhere reads the trail: %d", code)
	}
	var openTrail api.LedgerTrail
	if call(t, base, janisToken, "GET", "/v1/requests/"+open.ID+"/ledger", nil, &openTrail); len(openTrail.Entries) != 0 {
		t.Fatalf("another request's trail holds %+v", openTrail.Entries)
	}
	var inbox api.Inbox
	call(t, base, janisToken, "GET", "/v1/inbox", nil, &inbox)
	if it := inbox.Items[0]; it.Event != api.EventResultAttached || it.From.ID != "LV-DZS" || it.Detail != "Birth certificate" {
		t.Fatalf("the citizen's newest inbox item: %+v", it)
	}
	var ledger bytes.Buffer
	download(t, base, janisToken, "/v1/ledger?format=csv", &ledger)
	if !strings.Contains(ledger.String(), ",result_attached,Birth certificate (sha256 ") {
		t.Fatalf("the ledger does not record the result:\n%s", ledger.String())
	}
}

// TestClerkSeesTheMandatesOfAnApplication: the clerk's view of an
// application lists the active mandates under which someone may act for
// the citizen in its service; one for another service, a revoked one and
// the citizen's own view list none.
func TestClerkSeesTheMandatesOfAnApplication(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: deskTokens}).URL()
	var app api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &app)
	give := func(services []string) api.Mandate {
		var m api.Mandate
		in := api.NewMandate{Representative: people[ievaToken].Subject, RepresentativeName: "Ieva Kalniņa", Services: services, ValidUntil: time.Now().AddDate(1, 0, 0)}
		if code := call(t, base, janisToken, "POST", "/v1/mandates", in, &m); code != 201 {
			t.Fatalf("giving a mandate: %d", code)
		}
		return m
	}
	covering := give([]string{"lv-birth-certificate"})
	give([]string{"lv-pension-claim"})
	revoked := give(nil)
	call(t, base, janisToken, "POST", "/v1/mandates/"+revoked.ID+"/revoke", nil, nil)

	var seen api.Request
	call(t, base, "clerk-dzs", "GET", "/v1/requests/"+app.ID, nil, &seen)
	if len(seen.Mandates) != 1 || seen.Mandates[0].ID != covering.ID || seen.Mandates[0].RepresentativeName != "Ieva Kalniņa" || seen.Mandates[0].RepresentedName != "Jānis Bērziņš" {
		t.Fatalf("the clerk sees the mandates %+v", seen.Mandates)
	}
	var own api.Request
	if call(t, base, janisToken, "GET", "/v1/requests/"+app.ID, nil, &own); own.Mandates != nil {
		t.Fatalf("the citizen's own view lists mandates: %+v", own.Mandates)
	}
}

// TestPairingOpensTheSameRequestOnThePhone: the desktop makes a handoff
// for an existing request; the owner's phone redeems it and has the same
// request, nothing new started. Another person cannot redeem it or make
// one; a clerk of the institution hands the case to the citizen's phone
// the same way, bound to the citizen; a clerk elsewhere cannot.
func TestPairingOpensTheSameRequestOnThePhone(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: deskTokens}).URL()
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	pair := func(token string) (api.Handoff, int) {
		var h api.Handoff
		code := call(t, base, token, "POST", "/v1/handoffs", api.NewHandoff{RequestID: r.ID}, &h)
		return h, code
	}
	redeem := func(token string, in api.Redeem) (api.Request, int) {
		var got api.Request
		code := call(t, base, token, "POST", "/v1/handoffs/redeem", in, &got)
		return got, code
	}
	if _, code := pair(ievaToken); code != 404 {
		t.Fatalf("another person pairs with the request: %d", code)
	}
	if _, code := pair("clerk-lu"); code != 404 {
		t.Fatalf("a clerk elsewhere hands the case over: %d", code)
	}
	h, code := pair(janisToken)
	if code != 201 || h.Code == "" || !strings.HasPrefix(h.AppLink, "vienreiz://handoff/") {
		t.Fatalf("pairing: %d %+v", code, h)
	}
	if _, code := redeem(ievaToken, api.Redeem{Code: h.Code}); code != 403 {
		t.Fatalf("another person redeems the pairing: %d", code)
	}
	got, code := redeem(janisToken, api.Redeem{Link: h.Link})
	if code != 200 || got.ID != r.ID { // 200: opened, not created
		t.Fatalf("the phone redeems: %d, request %q, want %q", code, got.ID, r.ID)
	}
	if _, code := redeem(janisToken, api.Redeem{Code: h.Code}); code != 409 {
		t.Fatalf("the pairing used again: %d", code)
	}
	if n := len(myRequests(t, base, janisToken)); n != 1 {
		t.Fatalf("pairing started requests: the citizen has %d", n)
	}
	byClerk, code := pair("clerk-dzs")
	if code != 201 {
		t.Fatalf("the clerk hands the case over: %d", code)
	}
	if got, code := redeem(janisToken, api.Redeem{Code: byClerk.Code}); code != 200 || got.ID != r.ID {
		t.Fatalf("the citizen's phone redeems the clerk's handoff: %d %q", code, got.ID)
	}
}

// TestUnreadIsKeptPerClerk: an application is unread for each clerk of
// the institution until that clerk opens it, unread again when it moves
// on, and read after the clerk's own step; the decision shows in the
// list; the citizen's list carries neither mark.
func TestUnreadIsKeptPerClerk(t *testing.T) {
	tokens := exchange.BearerTokens{"clerk-dzs-2": {Subject: "LV/LV/230388-55555", GivenName: "Ilze", FamilyName: "Liepa", Role: exchange.RoleClerk, Institution: "LV-DZS"}}
	for k, v := range deskTokens {
		tokens[k] = v
	}
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: tokens}).URL()
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	unread := func(token string) api.Request {
		t.Helper()
		list := myRequests(t, base, token)
		if token != janisToken {
			list = deskQueue(t, base, token)
		}
		if len(list) != 1 {
			t.Fatalf("%s lists %d requests", token, len(list))
		}
		return list[0]
	}
	if !unread("clerk-dzs").Unread || !unread("clerk-dzs-2").Unread {
		t.Fatal("a new application is not unread")
	}
	call(t, base, "clerk-dzs", "GET", "/v1/requests/"+r.ID, nil, nil)
	if unread("clerk-dzs").Unread || !unread("clerk-dzs-2").Unread {
		t.Fatal("opening it marks it read for that clerk only")
	}
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/cancel", nil, nil) // a step after which nothing more comes
	if !unread("clerk-dzs").Unread {
		t.Fatal("the citizen's step does not make it unread again")
	}
	call(t, base, "clerk-dzs", "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: "Refused: the record is not yours.", Decision: api.DecisionRefused}, nil)
	if seen := unread("clerk-dzs"); seen.Unread || seen.Decision != api.DecisionRefused {
		t.Fatalf("after the clerk's own decision: unread %v, decision %q", seen.Unread, seen.Decision)
	}
	if mine := unread(janisToken); mine.Unread {
		t.Fatal("the citizen's list carries the clerk's unread mark")
	}
}

// TestClerkReadsTheDeliveredEvidence: the evidence is sent to the
// institution handling the application, yet its clerk's desk showed only
// its type and SHA-256 and the service refused the clerk the document
// (404; found trying the desk with make run). A clerk of the institution
// now downloads the same bytes the citizen was delivered, and the download
// is in the citizen's ledger under the clerk's name; a clerk of another
// institution gets 404, as before.
func TestClerkReadsTheDeliveredEvidence(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: deskTokens}).URL()
	var app api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-university-admission", Requirement: proofOfSecondaryEducation, Country: "LV"}, &app); code != 201 {
		t.Fatalf("create: %d", code)
	}
	app = deliverAs(t, base, janisToken, app.ID)
	download := func(token string) (int, string) {
		status, _, body := get(t, base, token, "/v1/requests/"+app.ID+"/evidence/0")
		return status, body
	}
	status, mine := download(janisToken)
	if status != 200 || len(mine) == 0 {
		t.Fatalf("the citizen's download: %d", status)
	}
	if status, theirs := download("clerk-lu"); status != 200 || theirs != mine {
		t.Fatalf("the university's clerk: %d, %d bytes (the citizen got %d)", status, len(theirs), len(mine))
	}
	if status, _ := download("clerk-dzs"); status != 404 {
		t.Fatalf("a clerk of another institution: %d", status)
	}
	var byClerk bool
	for _, e := range ledgerOf(t, base, janisToken, app.ID) {
		byClerk = byClerk || (e.Action == "evidence_downloaded" && e.Actor == "LV/LV/230388-33333")
	}
	if !byClerk {
		t.Fatalf("the clerk's download is not in the citizen's ledger: %+v", ledgerOf(t, base, janisToken, app.ID))
	}
}

// TestAClerksQueueHoldsTheInstitutionsWork: a clerk's list was the 200
// newest requests of every institution, of which the clerk's own were
// kept; at a service shared by several institutions another's busy day
// emptied the desk, and an application older than the 200 newest left
// it undecided (found as a clerk of a busy institution). The list holds
// every application of the clerk's institution not yet decided, however
// old and however many others came since, beside its newest decided ones;
// another institution's stay out.
func TestAClerksQueueHoldsTheInstitutionsWork(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: deskTokens}).URL()
	apply := func(token, service, requirement string) api.Request {
		t.Helper()
		var r api.Request
		if code := call(t, base, token, "POST", "/v1/requests", api.NewRequest{ServiceID: service, Requirement: requirement, Country: "LV"}, &r); code != 201 {
			t.Fatalf("%s applying for %s: %d", token, service, code)
		}
		return r
	}
	admission := apply(janisToken, "lv-university-admission", proofOfSecondaryEducation)
	oldest := apply(janisToken, "lv-birth-certificate", proofOfBirth)
	const busyDay = 210 // more than any limit of the list's
	for range busyDay {
		r := apply(ievaToken, "lv-birth-certificate", proofOfBirth)
		if code := call(t, base, "clerk-dzs", "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: "Refused: not needed.", Decision: api.DecisionRefused}, nil); code != 200 {
			t.Fatalf("deciding %s: %d", r.ID, code)
		}
	}
	holds := func(list []api.Request, id string) bool {
		return slices.ContainsFunc(list, func(r api.Request) bool { return r.ID == id })
	}
	university := deskQueue(t, base, "clerk-lu")
	if len(university) != 1 || university[0].ID != admission.ID {
		t.Fatalf("the university's clerk lists %v, want its one application %s", idsOf(university), admission.ID)
	}
	registry := deskQueue(t, base, "clerk-dzs")
	if !holds(registry, oldest.ID) {
		t.Fatalf("the registry's clerk lists %d requests without its oldest undecided application", len(registry))
	}
	if holds(registry, admission.ID) {
		t.Fatal("the registry's clerk lists the university's application")
	}
	decided := 0
	for _, r := range registry {
		if r.Decision != "" {
			decided++
		}
	}
	if decided == 0 || decided == busyDay {
		t.Fatalf("the registry's clerk lists %d of %d decided applications, want its newest few", decided, busyDay)
	}
}
