package exchange_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestMandateRegister: a person gives a mandate for listed services, the
// representative sees it held and the person given; only an administrator
// registers one for a company; bad mandates are refused; revocation is
// once, by the represented person (not the representative).
func TestMandateRegister(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: roleTokens}).URL()
	year := time.Now().AddDate(1, 0, 0)
	give := api.NewMandate{Representative: "EE/EE/48504152718", RepresentativeName: "Mari Tamm", Services: []string{"lv-ehic", "lv-birth-certificate"}, ValidUntil: year}
	var m api.Mandate
	if code := call(t, base, "token-owner", "POST", "/v1/mandates", give, &m); code != http.StatusCreated {
		t.Fatalf("give: %d", code)
	}
	if m.Represented != "LV/LV/010190-12345" || m.RepresentedName != "Jānis Bērziņš" || m.Status != "active" || len(m.Services) != 2 {
		t.Fatalf("mandate %+v", m)
	}
	var held, given api.MandateList
	call(t, base, "token-other", "GET", "/v1/mandates", nil, &held)
	call(t, base, "token-owner", "GET", "/v1/mandates", nil, &given)
	if len(held.Held) != 1 || held.Held[0].ID != m.ID || len(held.Given) != 0 || len(given.Given) != 1 || len(given.Held) != 0 {
		t.Fatalf("representative sees %+v, represented sees %+v", held, given)
	}

	company := api.NewMandate{Representative: "LV/LV/120875-10402", RepresentativeName: "Līga Kalniņa", Represented: "LV/LV/40003012345", RepresentedName: "Baltic Timber SIA", ValidUntil: year}
	if code := statusOnly(t, base, "token-owner", "POST", "/v1/mandates", company); code != http.StatusForbidden {
		t.Errorf("a citizen registering a company's mandate: %d, want 403", code)
	}
	var cm api.Mandate
	if code := call(t, base, "token-admin", "POST", "/v1/mandates", company, &cm); code != http.StatusCreated || cm.Represented != "LV/LV/40003012345" {
		t.Errorf("the administrator registering the company's mandate: %d %+v", code, cm)
	}

	bad := map[string]api.NewMandate{
		"for oneself":       {Representative: "LV/LV/010190-12345", RepresentativeName: "Jānis", ValidUntil: year},
		"no representative": {RepresentativeName: "X", ValidUntil: year},
		"already expired":   {Representative: "EE/EE/1", RepresentativeName: "X", ValidUntil: time.Now().Add(-time.Hour)},
		"ends before start": {Representative: "EE/EE/1", RepresentativeName: "X", ValidFrom: year, ValidUntil: year.Add(-time.Hour)},
		"unknown service":   {Representative: "EE/EE/1", RepresentativeName: "X", Services: []string{"no-such"}, ValidUntil: year},
		"control chars":     {Representative: "EE/EE/1", RepresentativeName: "X\u0000", ValidUntil: year},
	}
	for name, in := range bad {
		if code := statusOnly(t, base, "token-owner", "POST", "/v1/mandates", in); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, code)
		}
	}
	var after api.MandateList
	if call(t, base, "token-owner", "GET", "/v1/mandates", nil, &after); len(after.Given) != 1 {
		t.Fatalf("refused mandates were kept: %+v", after)
	}

	if code := statusOnly(t, base, "token-other", "POST", "/v1/mandates/"+m.ID+"/revoke", nil); code != http.StatusNotFound {
		t.Errorf("the representative revoking: %d, want 404", code)
	}
	var revoked api.Mandate
	if code := call(t, base, "token-owner", "POST", "/v1/mandates/"+m.ID+"/revoke", nil, &revoked); code != 200 || revoked.Status != "revoked" || revoked.RevokedAt.IsZero() {
		t.Fatalf("revoke: %d %+v", code, revoked)
	}
	if code := statusOnly(t, base, "token-owner", "POST", "/v1/mandates/"+m.ID+"/revoke", nil); code != http.StatusConflict {
		t.Errorf("revoking twice: %d, want 409", code)
	}
	if call(t, base, "token-other", "GET", "/v1/mandates", nil, &held); held.Held[0].Status != "revoked" {
		t.Errorf("the representative sees %+v", held.Held[0])
	}
}

// TestARepresentativesCopiesEndWithTheMandate: Mari made and approved a
// request for Jānis under his mandate; once Jānis revoked it, her app
// still listed his request and his birth extract in her wallet, and
// opening either failed ("Something went wrong", the service answering
// 403 mandate_revoked). A representative lists a represented person's
// requests and documents while the mandate stands, as they read them;
// the represented person keeps both.
func TestARepresentativesCopiesEndWithTheMandate(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: exchange.BearerTokens{janisToken: people[janisToken], "token-mari": roleTokens["token-other"]}}).URL()
	var m api.Mandate
	give := api.NewMandate{Representative: "EE/EE/48504152718", RepresentativeName: "Mari Tamm", Services: []string{"lv-birth-certificate"}, ValidUntil: time.Now().AddDate(1, 0, 0)}
	if code := call(t, base, janisToken, "POST", "/v1/mandates", give, &m); code != http.StatusCreated {
		t.Fatalf("give: %d", code)
	}
	in := routeBodies["POST /v1/requests"].(api.NewRequest)
	in.MandateID = m.ID
	var r api.Request
	if code := call(t, base, "token-mari", "POST", "/v1/requests", in, &r); code != http.StatusCreated {
		t.Fatalf("request under the mandate: %d", code)
	}
	deliverAs(t, base, "token-mari", r.ID)
	holds := func(token string) (requests, documents int) {
		t.Helper()
		var docs api.DocumentList
		if code := call(t, base, token, "GET", "/v1/evidence", nil, &docs); code != http.StatusOK {
			t.Fatalf("%s's documents: %d", token, code)
		}
		return len(myRequests(t, base, token)), len(docs.Documents)
	}
	for _, token := range []string{janisToken, "token-mari"} {
		if reqs, docs := holds(token); reqs != 1 || docs != 1 {
			t.Fatalf("while the mandate stands %s lists %d requests and %d documents, want 1 and 1", token, reqs, docs)
		}
	}

	if code := call(t, base, janisToken, "POST", "/v1/mandates/"+m.ID+"/revoke", nil, nil); code != http.StatusOK {
		t.Fatalf("revoke: %d", code)
	}
	if reqs, docs := holds("token-mari"); reqs != 0 || docs != 0 {
		t.Errorf("after the revocation the representative lists %d requests and %d documents, want none", reqs, docs)
	}
	if code := statusOnly(t, base, "token-mari", "GET", "/v1/requests/"+r.ID+"/evidence/0", nil); code != http.StatusForbidden {
		t.Errorf("the representative downloading the document after the revocation: %d, want 403", code)
	}
	if reqs, docs := holds(janisToken); reqs != 1 || docs != 1 {
		t.Errorf("after the revocation Jānis lists %d requests and %d documents, want 1 and 1", reqs, docs)
	}
}

// TestMandatesReachTheOpenApps: Jānis gave Mari a mandate while her app
// was open, and it offered nothing to act for until she signed in again;
// a revocation reached her app only when a tap was refused. Giving and
// revoking a mandate is an event on the streams of the representative and
// of the represented person, with no request.
func TestMandatesReachTheOpenApps(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: roleTokens}).URL()
	maris, _ := listenOn(t, base, "token-other")
	janis, _ := listenOn(t, base, "token-owner")
	var m api.Mandate
	give := api.NewMandate{Representative: "EE/EE/48504152718", RepresentativeName: "Mari Tamm", ValidUntil: time.Now().AddDate(1, 0, 0)}
	if code := call(t, base, "token-owner", "POST", "/v1/mandates", give, &m); code != http.StatusCreated {
		t.Fatalf("give: %d", code)
	}
	awaitEvent(t, maris, "", api.EventMandateGiven)
	awaitEvent(t, janis, "", api.EventMandateGiven)
	if code := call(t, base, "token-owner", "POST", "/v1/mandates/"+m.ID+"/revoke", nil, nil); code != http.StatusOK {
		t.Fatalf("revoke: %d", code)
	}
	awaitEvent(t, maris, "", api.EventMandateRevoked)
	awaitEvent(t, janis, "", api.EventMandateRevoked)
}

// TestTheLedgerSaysWhenAMandateEnds: Jānis gave Mari a mandate until
// 2027-12-07 (the app sends the end of that day, the next midnight) and
// his ledger export said "until 2027-12-08": the record named the day of
// the instant the mandate ends, which is the day after its last one, or
// the day itself, by the time zone. The record states the instants, in
// UTC, that the mandate runs from and ends at.
func TestTheLedgerSaysWhenAMandateEnds(t *testing.T) {
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: roleTokens}).URL()
	riga := time.FixedZone("EET", 2*60*60)
	from, until := time.Now().Add(time.Hour).Truncate(time.Minute), time.Date(2027, 12, 8, 0, 0, 0, 0, riga)
	give := api.NewMandate{Representative: "EE/EE/48504152718", RepresentativeName: "Mari Tamm", ValidFrom: from, ValidUntil: until}
	if code := call(t, base, "token-owner", "POST", "/v1/mandates", give, nil); code != http.StatusCreated {
		t.Fatalf("give: %d", code)
	}
	var export struct {
		Entries []api.LedgerEntry `json:"entries"`
	}
	if code := call(t, base, "token-owner", "GET", "/v1/ledger?format=json", nil, &export); code != 200 || len(export.Entries) == 0 {
		t.Fatalf("ledger export: %d, %d entries", code, len(export.Entries))
	}
	what := export.Entries[len(export.Entries)-1].What
	want := "from " + from.UTC().Format("2006-01-02 15:04") + " UTC until 2027-12-07 22:00 UTC"
	if !strings.Contains(what, want) {
		t.Errorf("the ledger says %q, want it to say %q", what, want)
	}
}
