package pmode

import (
	"errors"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	c := validConfig()
	c.Parties["EE"] = &Party{Name: "EE", IDs: []PartyID{{Value: "urn:ee"}}, Endpoints: []string{"https://ee.example/as4"}}
	ee := *c.PModes[0]
	ee.ID, ee.Responder = "req-ee", PartyRef{"EE", RoleOOTSGateway}
	resp := *c.PModes[0]
	resp.ID, resp.Initiator, resp.Responder = "resp", PartyRef{"DEMO", RoleOOTSGateway}, PartyRef{"LV", RoleOOTSGateway}
	resp.Legs = []Leg{{Service: "QueryManager", ServiceType: "urn:s", Action: "ExecuteQueryResponse"}}
	c.PModes = append(c.PModes, &ee, &resp)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		service, action, responder string
		wantID                     string
		wantErr                    error
		msg                        string
	}{
		{"QueryManager", "ExecuteQueryRequest", "DEMO", "req", nil, ""},
		{"QueryManager", "ExecuteQueryRequest", "EE", "req-ee", nil, ""},
		{"QueryManager", "ExecuteQueryResponse", "LV", "resp", nil, ""},
		{"QueryManager", "ExecuteQueryResponse", "", "resp", nil, ""},
		{"QueryManager", "ExecuteQueryRequest", "", "", ErrAmbiguousPMode, "req, req-ee"},
		{"QueryManager", "ExecuteQueryRequest", "LV", "", ErrNoPMode, `responder "LV"`},
		{"QueryManager", "Unknown", "DEMO", "", ErrNoPMode, `action "Unknown"`},
		{"Other", "ExecuteQueryRequest", "DEMO", "", ErrNoPMode, `service "Other"`},
	}
	for _, tt := range tests {
		t.Run(tt.action+"/"+tt.responder, func(t *testing.T) {
			pm, err := c.Find(tt.service, tt.action, tt.responder)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.msg) {
					t.Fatalf("error = %v, want %v mentioning %q", err, tt.wantErr, tt.msg)
				}
				return
			}
			if err != nil || pm.ID != tt.wantID {
				t.Fatalf("Find = %v, %v; want %s", pm, err, tt.wantID)
			}
		})
	}
	if pm, err := c.Match("DEMO", "LV", "QueryManager", "ExecuteQueryResponse"); err != nil || pm.ID != "resp" {
		t.Errorf("Match(DEMO→LV) = %v, %v", pm, err)
	}
	if _, err := c.Match("EE", "LV", "QueryManager", "ExecuteQueryResponse"); !errors.Is(err, ErrNoPMode) {
		t.Errorf("Match from a party without P-Mode: %v", err)
	}
	if _, err := c.Match("LV", "", "QueryManager", "ExecuteQueryRequest"); !errors.Is(err, ErrAmbiguousPMode) {
		t.Errorf("Match with any responder: %v", err)
	}
	if _, err := c.Party("XX"); !errors.Is(err, ErrUnknownParty) {
		t.Errorf("Party(XX): %v", err)
	}
	if p := c.PartyByID("urn:demo", ""); p == nil || p.Name != "DEMO" {
		t.Errorf("PartyByID(urn:demo) = %v", p)
	}
	if p := c.PartyByID("lv", "urn:other"); p != nil {
		t.Errorf("PartyByID with wrong type = %v", p.Name)
	}
	if l, ok := c.ByID("resp").Leg("QueryManager", "ExecuteQueryResponse"); !ok || l.ServiceType != "urn:s" {
		t.Errorf("Leg = %v, %v", l, ok)
	}
}
