package exchange_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// TestAClerksStreamHearsOfTheInstitutionsApplications: the desk was not
// live (the last sessions' notes): a clerk's event stream heard only of
// the clerk's own requests, so an application page stayed as read until
// Reload. A clerk's stream now hears of every change to the applications
// of the clerk's institution, and of no other institution's.
func TestAClerksStreamHearsOfTheInstitutionsApplications(t *testing.T) {
	base, mandate := companyMandate(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+urClerkToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	heard := make(chan api.Event, 16)
	go func() {
		defer close(heard)
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			var e api.Event
			if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok && json.Unmarshal([]byte(data), &e) == nil {
				heard <- e
			}
		}
	}()

	// Jānis's proof of birth is the civil registry's: Anna hears nothing of it.
	var birth api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &birth)
	var business api.Request
	if code := call(t, base, ligaToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-register-business",
		Requirement: reqBase + "d8237836-055a-5ad1-a8a2-104614ee0ad5", Country: "LV", MandateID: mandate}, &business); code != 201 {
		t.Fatalf("the company's application: %d", code)
	}
	select {
	case e, ok := <-heard:
		if !ok || e.RequestID != business.ID || !e.Desk {
			t.Fatalf("Anna's stream heard first %+v (open %v), want the company's application %s marked for the desk (the birth request is %s)", e, ok, business.ID, birth.ID)
		}
	case <-ctx.Done():
		t.Fatal("Anna's stream heard nothing of her institution's new application")
	}
}
