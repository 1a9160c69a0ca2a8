package exchange_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// The callers of the route table: nobody signed in, the owner of the
// request in the path, another citizen, a clerk of the institution the
// request is made to (the civil registry, LV-DZS, for a birth
// certificate), a clerk of another institution, an administrator.
const (
	anonymous = iota
	owner
	otherCitizen
	clerk
	otherClerk
	administrator
	callers
)

var callerNames = [callers]string{"anonymous", "owner", "other citizen", "clerk", "clerk elsewhere", "administrator"}

var roleTokens = exchange.BearerTokens{
	"token-owner":    {Subject: "LV/LV/010190-12345", GivenName: "Jānis", FamilyName: "Bērziņš", DateOfBirth: "1990-01-01"},
	"token-other":    {Subject: "EE/EE/48504152718", GivenName: "Mari", FamilyName: "Tamm", DateOfBirth: "1985-04-15"},
	"token-clerk":    {Subject: "LV/LV/230388-11111", GivenName: "Anna", FamilyName: "Ozola", Role: exchange.RoleClerk, Institution: "LV-DZS"},
	"token-clerk-ur": {Subject: "LV/LV/230388-22222", GivenName: "Ilze", FamilyName: "Liepa", Role: exchange.RoleClerk, Institution: "LV-UR"},
	"token-admin":    {Subject: "LV/LV/050580-12121", GivenName: "Pēteris", FamilyName: "Admins", Role: exchange.RoleAdministrator},
	"token-assigned": {Subject: "LV/LV/999999-99999", GivenName: "Ieva", FamilyName: "Kalniņa"},
}

var callerTokens = [callers]string{"", "token-owner", "token-other", "token-clerk", "token-clerk-ur", "token-admin"}

// routeAccess is what each caller gets from each route, called on a fresh
// request of the owner in state "ready" (so an owner's 400, 404 or 409
// below is the request's state speaking: no evidence yet, no preview
// opened or waiting).
// Every route the API serves (its OpenAPI document, which
// TestOpenAPIListsExactlyTheRoutes holds equal to the routes) must have a
// row: a new route fails this test until its access is decided here.
var routeAccess = map[string][callers]int{
	//                                         anonymous owner other clerk elsewhere admin
	"GET /openapi.json": {200, 200, 200, 200, 200, 200},
	"GET /v1/health":    {200, 200, 200, 200, 200, 200},
	// Public; this service takes bearer tokens and names no provider.
	"GET /v1/sign-in":                         {404, 404, 404, 404, 404, 404},
	"GET /v1/services":                        {200, 200, 200, 200, 200, 200},
	"GET /v1/services/{id}":                   {200, 200, 200, 200, 200, 200},
	"GET /v1/facets":                          {200, 200, 200, 200, 200, 200},
	"GET /v1/evidence-countries":              {200, 200, 200, 200, 200, 200},
	"POST /v1/requests":                       {401, 201, 201, 201, 201, 201},
	"GET /v1/requests":                        {401, 200, 200, 200, 200, 200},
	"GET /v1/desk":                            {401, 403, 403, 200, 200, 403},
	"GET /v1/requests/{id}":                   {401, 200, 404, 200, 404, 404},
	"POST /v1/requests/{id}/attributes":       {401, 409, 404, 404, 404, 404},
	"POST /v1/requests/{id}/explicit-request": {401, 200, 404, 404, 404, 404},
	"POST /v1/requests/{id}/cancel":           {401, 200, 404, 404, 404, 404},
	"POST /v1/requests/{id}/retry":            {401, 409, 404, 404, 404, 404},
	"POST /v1/requests/{id}/archive":          {401, 409, 404, 404, 404, 404}, // open: cancel first
	// The owner's 409: feedback waits until the application finished.
	"POST /v1/requests/{id}/feedback": {401, 409, 404, 404, 404, 404},
	// Clerks read their institution's feedback, administrators everyone's.
	"GET /v1/feedback":                        {401, 403, 403, 200, 200, 200},
	"POST /v1/requests/{id}/preview":          {401, 409, 404, 404, 404, 404},
	"POST /v1/requests/{id}/preview/decision": {401, 400, 404, 404, 404, 404},
	"POST /v1/requests/{id}/preview/returned": {401, 400, 404, 404, 404, 404},
	"GET /v1/requests/{id}/evidence/{n}":      {401, 404, 404, 404, 404, 404},
	"GET /v1/evidence":                        {401, 200, 200, 200, 200, 200},
	"POST /v1/requests/{id}/status":           {401, 403, 403, 200, 404, 403},
	"POST /v1/requests/{id}/ask-evidence":     {401, 403, 403, 201, 404, 403},
	// The clerk's 409: a result waits until the evidence exchange ended.
	"POST /v1/requests/{id}/result": {401, 403, 403, 409, 404, 403},
	"GET /v1/requests/{id}/ledger":  {401, 200, 404, 200, 404, 404},
	"GET /v1/ledger":                {401, 200, 200, 200, 200, 200},
	"GET /v1/events":                {401, 200, 200, 200, 200, 200},
	"GET /v1/calendar.ics":          {401, 200, 200, 200, 200, 200},
	"GET /v1/inbox":                 {401, 200, 200, 200, 200, 200},
	"POST /v1/inbox/read":           {401, 200, 200, 200, 200, 200},
	// {id}: the owner's inbox item of a clerk's message.
	"POST /v1/inbox/{id}/read":  {401, 200, 404, 404, 404, 404},
	"POST /v1/handoffs":         {401, 201, 201, 201, 201, 201},
	"POST /v1/handoffs/redeem":  {401, 400, 400, 400, 400, 400}, // an unknown code
	"POST /v1/devices/pairings": {401, 201, 201, 201, 201, 201},
	"POST /v1/devices/pair":     {400, 400, 400, 400, 400, 400}, // anyone, signed out: an unknown code
	"POST /v1/devices/refresh":  {401, 401, 401, 401, 401, 401}, // anyone: an unknown refresh token
	"GET /v1/devices":           {401, 200, 200, 200, 200, 200},
	"GET /v1/me":                {401, 200, 200, 200, 200, 200},
	"POST /v1/devices/revoke":   {401, 200, 200, 200, 200, 200},
	// {id}: another device the owner paired.
	"POST /v1/devices/{id}/revoke": {401, 200, 404, 404, 404, 404},
	"GET /v1/admin/roles":          {401, 403, 403, 403, 403, 200},
	"POST /v1/admin/roles":         {401, 403, 403, 403, 403, 200},
	"POST /v1/admin/roles/remove":  {401, 403, 403, 403, 403, 200},
	"GET /v1/mandates":             {401, 200, 200, 200, 200, 200},
	"POST /v1/mandates":            {401, 201, 201, 201, 201, 201},
	// {id}: a mandate the owner gave the other citizen.
	"POST /v1/mandates/{id}/revoke": {401, 200, 404, 404, 404, 200},
}

// routeBodies are valid bodies for the routes that read one, so that the
// answers show access, not input checks.
var routeBodies = map[string]any{
	"POST /v1/requests/{id}/feedback":         api.NewFeedback{Rating: 5, Text: "Quick."},
	"POST /v1/requests":                       api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "EE"},
	"POST /v1/requests/{id}/attributes":       api.Attributes{Values: map[string]string{}},
	"POST /v1/requests/{id}/retry":            api.Attributes{},
	"POST /v1/requests/{id}/preview/decision": api.Decision{Decision: "refuse"},
	"POST /v1/requests/{id}/status":           api.StatusChange{Message: "Your application is being processed."},
	"POST /v1/requests/{id}/ask-evidence":     api.EvidenceAsk{Requirement: proofOfBirth, Country: "LT", Message: "Please confirm the request for your birth record."},
	"POST /v1/requests/{id}/result":           rawBody{"application/pdf", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n")},
	"POST /v1/handoffs":                       api.NewHandoff{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"},
	"POST /v1/handoffs/redeem":                api.Redeem{Code: "2345-6789"},
	"POST /v1/devices/pair":                   api.DevicePairing{Code: "2345-6789", Device: "Phone"},
	"POST /v1/devices/refresh":                api.DeviceRefresh{RefreshToken: "vzr.not-a-token"},
	"POST /v1/admin/roles":                    api.RoleAssignment{Subject: "LV/LV/999999-99999", Role: api.RoleClerk, Institution: "LV-VID"},
	"POST /v1/admin/roles/remove":             api.RoleRemoval{Subject: "LV/LV/999999-99999"},
	"POST /v1/mandates":                       api.NewMandate{Representative: "LV/LV/777777-77777", RepresentativeName: "Pēteris Kļaviņš", ValidUntil: time.Now().AddDate(1, 0, 0)},
}

// routeQueries are the query strings of routes that need one.
var routeQueries = map[string]string{
	"GET /v1/evidence-countries":    "?requirement=" + proofOfBirth,
	"POST /v1/requests/{id}/result": "?title=Decision",
}

// rawBody is a body sent as it is, with its own Content-Type.
type rawBody struct {
	contentType string
	data        []byte
}

// statusOnly calls the API and returns the status code without reading
// the body (the event stream never ends).
func statusOnly(t *testing.T, base, token, method, path string, body any) int {
	t.Helper()
	var data []byte
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case rawBody:
		data, contentType = b.data, b.contentType
	default:
		data, _ = json.Marshal(body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(data))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// documentedRoutes are the "METHOD /path" of the OpenAPI document.
func documentedRoutes(t *testing.T) []string {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(exchange.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for path, ops := range doc.Paths {
		for method := range ops {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// TestEveryRouteByRoleAndOwner walks every route × caller and checks the
// answer: 401 without sign-in, 403 for a role that may not, 404 for
// another person's request (never 403, which would confirm it exists).
// It walks the table twice: with the callers' own tokens, and with device
// grants each caller's session paired to a signed-out phone, which must
// get exactly the same answers.
func TestEveryRouteByRoleAndOwner(t *testing.T) {
	// The table tries made-up pairing codes, all from one address.
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: roleTokens, Limits: exchange.Limits{CodeGuesses: 1 << 20}}).URL()
	routes := documentedRoutes(t)
	for _, rt := range routes {
		if _, ok := routeAccess[rt]; !ok {
			t.Errorf("route %s has no row in routeAccess: decide who may call it", rt)
		}
	}
	for rt := range routeAccess {
		if !contains(routes, rt) {
			t.Errorf("routeAccess has %s, which the API does not serve", rt)
		}
	}
	t.Run("own tokens", func(t *testing.T) {
		walkRouteTable(t, base, routes, func(who int) string { return callerTokens[who] })
	})
	t.Run("paired devices", func(t *testing.T) {
		// A fresh device for every call: "POST /v1/devices/revoke" signs
		// the caller's devices out.
		walkRouteTable(t, base, routes, func(who int) string {
			if who == anonymous {
				return ""
			}
			return pairedDevice(t, base, callerTokens[who]).AccessToken
		})
	})
}

// endEveryRequest cancels every caller's requests under way (an earlier
// walk's), so that the routes' new requests are new.
func endEveryRequest(t *testing.T, base string) {
	for _, tok := range callerTokens[anonymous+1:] {
		var list api.RequestList
		call(t, base, tok, "GET", "/v1/requests", nil, &list)
		for _, r := range list.Requests {
			statusOnly(t, base, tok, "POST", "/v1/requests/"+r.ID+"/cancel", nil)
		}
	}
}

// ownersApplication is the request each route is called on: other
// evidence than the routes' own new requests and asks, so that those are
// new requests too.
var ownersApplication = api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}

// walkRouteTable calls every route as every caller (token gives the
// caller's bearer token) and compares the answers with routeAccess.
func walkRouteTable(t *testing.T, base string, routes []string, token func(who int) string) {
	endEveryRequest(t, base)
	got := map[string][callers]int{}
	for _, rt := range routes {
		method, pattern, _ := strings.Cut(rt, " ")
		for who := range callers {
			var r api.Request
			if code := call(t, base, "token-owner", "POST", "/v1/requests", ownersApplication, &r); code != http.StatusCreated {
				t.Fatalf("creating the owner's request: %d", code)
			}
			if code := call(t, base, "token-admin", "POST", "/v1/admin/roles", routeBodies["POST /v1/admin/roles"], nil); code != http.StatusOK {
				t.Fatalf("assigning the role the removal takes away: %d", code)
			}
			id := r.ID
			if strings.HasPrefix(pattern, "/v1/mandates/") {
				var m api.Mandate
				give := api.NewMandate{Representative: "EE/EE/48504152718", RepresentativeName: "Mari Tamm", ValidUntil: time.Now().AddDate(1, 0, 0)}
				if code := call(t, base, "token-owner", "POST", "/v1/mandates", give, &m); code != http.StatusCreated {
					t.Fatalf("giving the owner's mandate: %d", code)
				}
				id = m.ID
			}
			if strings.HasPrefix(pattern, "/v1/inbox/{id}") {
				id = ownersMessage(t, base, r.ID)
			}
			if strings.HasPrefix(pattern, "/v1/devices/{id}") {
				id = pairedDevice(t, base, "token-owner").ID
			}
			path := strings.NewReplacer("{id}", id, "{n}", "0").Replace(pattern)
			if strings.HasPrefix(pattern, "/v1/services/") {
				path = "/v1/services/lv-birth-certificate"
			}
			row := got[rt]
			row[who] = statusOnly(t, base, token(who), method, path+routeQueries[rt], routeBodies[rt])
			got[rt] = row
			// Ended, so that the next call has a new request: one for the
			// same evidence is under way at a time.
			statusOnly(t, base, "token-owner", "POST", "/v1/requests/"+r.ID+"/cancel", nil)
		}
		if want, ok := routeAccess[rt]; ok && got[rt] != want {
			var diff []string
			for who := range callers {
				if got[rt][who] != want[who] {
					diff = append(diff, fmt.Sprintf("%s got %d want %d", callerNames[who], got[rt][who], want[who]))
				}
			}
			t.Errorf("%s: %s", rt, strings.Join(diff, "; "))
		}
	}
	if t.Failed() {
		var b strings.Builder
		for _, rt := range routes {
			fmt.Fprintf(&b, "\t%q: %v,\n", rt, got[rt])
		}
		t.Logf("answers seen:\n%s", b.String())
	}
}

// pairedDevice pairs a signed-out device with the session of token: the
// session makes a pairing code, the device redeems it without a token.
func pairedDevice(t *testing.T, base, token string) api.DeviceGrant {
	t.Helper()
	var pairing api.Handoff
	if code := call(t, base, token, "POST", "/v1/devices/pairings", nil, &pairing); code != http.StatusCreated {
		t.Fatalf("%s makes a pairing code: %d", token, code)
	}
	var g api.DeviceGrant
	if code := call(t, base, "", "POST", "/v1/devices/pair", api.DevicePairing{Code: pairing.Code, Device: "Phone"}, &g); code != http.StatusCreated || !strings.HasPrefix(g.AccessToken, "vzd.") {
		t.Fatalf("the device redeems %s's pairing code: %d %+v", token, code, g)
	}
	return g
}

// ownersMessage has the clerk post a message on the owner's request and
// returns the id of the owner's inbox item of it.
func ownersMessage(t *testing.T, base, requestID string) string {
	t.Helper()
	if code := call(t, base, "token-clerk", "POST", "/v1/requests/"+requestID+"/status", routeBodies["POST /v1/requests/{id}/status"], nil); code != http.StatusOK {
		t.Fatalf("the clerk's message: %d", code)
	}
	var inbox api.Inbox
	if code := call(t, base, "token-owner", "GET", "/v1/inbox", nil, &inbox); code != http.StatusOK || len(inbox.Items) == 0 || inbox.Items[0].RequestID != requestID {
		t.Fatalf("the owner's inbox: %d %+v", code, inbox)
	}
	return inbox.Items[0].ID
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestAdministratorAssignsRoles: a role assigned through the API takes
// effect on the next call and ends when removed; nobody else can assign
// one, not even to themselves, and an administrator cannot demote
// themselves.
func TestAdministratorAssignsRoles(t *testing.T) {
	// The table tries made-up pairing codes, all from one address.
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: roleTokens, Limits: exchange.Limits{CodeGuesses: 1 << 20}}).URL()
	var r api.Request
	call(t, base, "token-owner", "POST", "/v1/requests", routeBodies["POST /v1/requests"], &r)
	status := "/v1/requests/" + r.ID + "/status"
	post := func(token string) int {
		return statusOnly(t, base, token, "POST", status, routeBodies["POST /v1/requests/{id}/status"])
	}
	if code := post("token-assigned"); code != http.StatusForbidden {
		t.Fatalf("before the assignment: %d, want 403", code)
	}
	self := api.RoleAssignment{Subject: "LV/LV/999999-99999", Role: api.RoleAdministrator}
	for _, token := range []string{"token-assigned", "token-clerk", "token-owner"} {
		if code := statusOnly(t, base, token, "POST", "/v1/admin/roles", self); code != http.StatusForbidden {
			t.Errorf("%s makes LV/LV/999999-99999 an administrator: %d, want 403", token, code)
		}
	}
	var a api.RoleAssignment
	if code := call(t, base, "token-admin", "POST", "/v1/admin/roles", api.RoleAssignment{Subject: "LV/LV/999999-99999", Role: api.RoleClerk, Institution: "LV-VID"}, &a); code != 200 || a.AssignedBy != "LV/LV/050580-12121" || a.AssignedAt.IsZero() {
		t.Fatalf("assign: %d %+v", code, a)
	}
	if code := post("token-assigned"); code != http.StatusNotFound {
		t.Fatalf("a clerk of the tax office (LV-VID) posts on a birth-certificate request: %d, want 404", code)
	}
	var desk api.RequestList
	if call(t, base, "token-assigned", "GET", "/v1/desk", nil, &desk); desk.Count != 0 {
		t.Fatalf("the tax office's clerk lists %d requests of the civil registry", desk.Count)
	}
	if code := call(t, base, "token-admin", "POST", "/v1/admin/roles", api.RoleAssignment{Subject: "LV/LV/999999-99999", Role: api.RoleClerk, Institution: "LV-DZS"}, &a); code != 200 {
		t.Fatalf("moving the clerk to the civil registry: %d", code)
	}
	if code := post("token-assigned"); code != http.StatusOK {
		t.Fatalf("after the assignment to LV-DZS the clerk posts: %d, want 200", code)
	}
	if call(t, base, "token-assigned", "GET", "/v1/desk", nil, &desk); desk.Count != 1 || desk.Requests[0].ID != r.ID {
		t.Fatalf("the civil registry's clerk lists %+v", desk)
	}
	var list api.RoleList
	if code := call(t, base, "token-admin", "GET", "/v1/admin/roles", nil, &list); code != 200 || list.Count != 1 || list.Roles[0].Institution != "LV-DZS" {
		t.Fatalf("list: %d %+v", code, list)
	}
	bad := map[string]api.RoleAssignment{
		"clerk without institution":    {Subject: "LV/LV/1", Role: api.RoleClerk},
		"institution of no service":    {Subject: "LV/LV/1", Role: api.RoleClerk, Institution: "LV-URR"}, // a typo: a clerk with an empty queue
		"unknown role":                 {Subject: "LV/LV/1", Role: "king"},
		"no subject":                   {Role: api.RoleAdministrator},
		"administrator with institute": {Subject: "LV/LV/1", Role: api.RoleAdministrator, Institution: "X"},
		"demoting oneself":             {Subject: "LV/LV/050580-12121", Role: api.RoleClerk, Institution: "X"},
	}
	for name, in := range bad {
		if code := statusOnly(t, base, "token-admin", "POST", "/v1/admin/roles", in); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, code)
		}
	}
	if code := statusOnly(t, base, "token-admin", "POST", "/v1/admin/roles/remove", api.RoleRemoval{Subject: "LV/LV/050580-12121"}); code != http.StatusBadRequest {
		t.Errorf("removing one's own role: %d, want 400", code)
	}
	if code := statusOnly(t, base, "token-admin", "POST", "/v1/admin/roles/remove", api.RoleRemoval{Subject: "LV/LV/999999-99999"}); code != http.StatusOK {
		t.Fatalf("remove: %d", code)
	}
	if code := post("token-assigned"); code != http.StatusForbidden {
		t.Fatalf("after removal: %d, want 403", code)
	}
	if code := statusOnly(t, base, "token-admin", "POST", "/v1/admin/roles/remove", api.RoleRemoval{Subject: "LV/LV/999999-99999"}); code != http.StatusNotFound {
		t.Errorf("removing again: %d, want 404", code)
	}
}

// TestRolesAndTrailsNameTheirPeople: the administrator's list of roles
// gave "LV/LV/01019012345 · clerk of State Education Development Agency",
// and the desk's ledger trail "Application approved · by
// LV/LV/01019012345": identifiers nobody reads as a person (found giving
// Jānis the clerk role and deciding Mari's study grant). A person with a
// role is named as they signed in, from their first call after it (an
// administrator need not type, and cannot mistype, the name); the trail
// names the clerks who acted.
func TestRolesAndTrailsNameTheirPeople(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: roleTokens}).URL()
	var r api.Request
	call(t, base, "token-owner", "POST", "/v1/requests", routeBodies["POST /v1/requests"], &r)
	if code := call(t, base, "token-admin", "POST", "/v1/admin/roles", api.RoleAssignment{Subject: "LV/LV/999999-99999", Role: api.RoleClerk, Institution: "LV-DZS"}, nil); code != 200 {
		t.Fatalf("assign: %d", code)
	}
	var list api.RoleList
	call(t, base, "token-admin", "GET", "/v1/admin/roles", nil, &list)
	if list.Count != 1 || list.Roles[0].Name != "" {
		t.Fatalf("before the clerk's first call: %+v", list.Roles)
	}
	if code := statusOnly(t, base, "token-assigned", "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: "Approved.", Decision: api.DecisionApproved}); code != http.StatusOK {
		t.Fatalf("the clerk decides: %d", code)
	}
	call(t, base, "token-admin", "GET", "/v1/admin/roles", nil, &list)
	if list.Count != 1 || list.Roles[0].Name != "Ieva Kalniņa" {
		t.Fatalf("after the clerk's call: %+v", list.Roles)
	}
	var trail api.LedgerTrail
	call(t, base, "token-assigned", "GET", "/v1/requests/"+r.ID+"/ledger", nil, &trail)
	var named bool
	for _, e := range trail.Entries {
		if e.Actor == "LV/LV/999999-99999" {
			named = e.ActorName == "Ieva Kalniņa"
		}
	}
	if !named {
		t.Fatalf("the trail does not name the clerk: %+v", trail.Entries)
	}
}

// TestMeSaysTheRoleTheServiceGives: GET /v1/me names the caller with the
// role this service gives them: the sign-in's, or one an administrator
// assigned, which comes first and goes when removed. The app shows the
// clerk's desk by it.
func TestMeSaysTheRoleTheServiceGives(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: roleTokens}).URL()
	me := func(token string) api.Me {
		t.Helper()
		var m api.Me
		if code := call(t, base, token, "GET", "/v1/me", nil, &m); code != http.StatusOK {
			t.Fatalf("GET /v1/me as %s: %d", token, code)
		}
		return m
	}
	for token, want := range map[string]api.Me{
		"token-owner": {Subject: "LV/LV/010190-12345", GivenName: "Jānis", FamilyName: "Bērziņš", Role: "citizen"},
		"token-clerk": {Subject: "LV/LV/230388-11111", GivenName: "Anna", FamilyName: "Ozola", Role: "clerk", Institution: "LV-DZS"},
		"token-admin": {Subject: "LV/LV/050580-12121", GivenName: "Pēteris", FamilyName: "Admins", Role: "administrator"},
	} {
		if got := me(token); got != want {
			t.Errorf("%s: %+v, want %+v", token, got, want)
		}
	}
	if got := me("token-assigned"); got.Role != "citizen" {
		t.Fatalf("before any assignment: %+v", got)
	}
	call(t, base, "token-admin", "POST", "/v1/admin/roles", api.RoleAssignment{Subject: "LV/LV/999999-99999", Role: api.RoleClerk, Institution: "LV-UR"}, nil)
	if got := me("token-assigned"); got.Role != "clerk" || got.Institution != "LV-UR" {
		t.Fatalf("assigned a clerk of LV-UR: %+v", got)
	}
	call(t, base, "token-admin", "POST", "/v1/admin/roles/remove", api.RoleRemoval{Subject: "LV/LV/999999-99999"}, nil)
	if got := me("token-assigned"); got.Role != "citizen" || got.Institution != "" {
		t.Fatalf("after the removal: %+v", got)
	}
	if code := statusOnly(t, base, "", "GET", "/v1/me", nil); code != http.StatusUnauthorized {
		t.Errorf("nobody signed in: %d, want 401", code)
	}
}
