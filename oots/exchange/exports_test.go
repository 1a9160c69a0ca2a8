package exchange_test

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/api"
)

func get(t *testing.T, base, token, path string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

// TestLedgerExportAndCalendar: the citizen exports their ledger (JSON and
// CSV) with the explicit request in it, sees nobody else's, and gets the
// expected-by times as an iCalendar file.
func TestLedgerExportAndCalendar(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)

	code, ctype, body := get(t, base, janisToken, "/v1/ledger")
	var doc struct {
		Person  string `json:"person"`
		Entries []struct {
			Action    string `json:"action"`
			RequestID string `json:"requestId"`
		} `json:"entries"`
	}
	if code != 200 || !strings.HasPrefix(ctype, "application/json") || json.Unmarshal([]byte(body), &doc) != nil {
		t.Fatalf("ledger JSON: %d %s %.300s", code, ctype, body)
	}
	if !strings.Contains(body, "explicit_request_given") || !strings.Contains(body, r.ID) {
		t.Fatalf("ledger lacks the explicit request: %.500s", body)
	}
	code, _, body = get(t, base, janisToken, "/v1/ledger?format=csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if code != 200 || err != nil || len(rows) < 2 {
		t.Fatalf("ledger CSV: %d %v %d rows", code, err, len(rows))
	}
	if _, _, other := get(t, base, ievaToken, "/v1/ledger"); strings.Contains(other, r.ID) {
		t.Fatal("another person's ledger export shows this request")
	}
	if code, _, _ := get(t, base, janisToken, "/v1/ledger?format=xlsx"); code != 400 {
		t.Fatalf("unknown format: %d", code)
	}

	code, ctype, body = get(t, base, janisToken, "/v1/calendar.ics")
	if code != 200 || !strings.HasPrefix(ctype, "text/calendar") || !strings.Contains(body, "BEGIN:VEVENT") || !strings.Contains(body, "\r\n") {
		t.Fatalf("calendar: %d %s\n%s", code, ctype, body)
	}
	for _, l := range strings.Split(body, "\r\n") {
		if len(l) > 75 {
			t.Fatalf("calendar line longer than 75 octets: %q", l)
		}
	}
}
