package pmode

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// validConfig is a small valid configuration the cases below break.
func validConfig() *Config {
	return &Config{
		Self: "LV",
		Parties: map[string]*Party{
			"LV":   {Name: "LV", IDs: []PartyID{{Value: "lv", Type: "urn:t"}}, Endpoints: []string{"https://lv.example/as4"}},
			"DEMO": {Name: "DEMO", IDs: []PartyID{{Value: "urn:demo"}}, Endpoints: []string{"https://demo1.example/as4", "https://demo2.example/as4"}},
		},
		PModes: []*PMode{{
			ID: "req", MEP: MEPOneWay, MEPBinding: MEPBindingPush,
			Initiator: PartyRef{"LV", RoleOOTSGateway}, Responder: PartyRef{"DEMO", RoleOOTSGateway},
			Legs:     []Leg{{Service: "QueryManager", ServiceType: "urn:s", Action: "ExecuteQueryRequest"}},
			Security: DefaultSecurity(), Reliability: DefaultReliability(), Compress: true,
		}},
	}
}

func TestValidateNamesTheField(t *testing.T) {
	if err := validConfig().Validate(); err != nil {
		t.Fatalf("baseline invalid: %v", err)
	}
	tests := []struct {
		name    string
		breakIt func(c *Config)
		field   string
	}{
		{"no self", func(c *Config) { c.Self = "" }, "self: required"},
		{"unknown self", func(c *Config) { c.Self = "EE" }, `self: party "EE"`},
		{"no parties", func(c *Config) { c.Parties = nil; c.Self = "" }, "parties: at least one"},
		{"party name mismatch", func(c *Config) { c.Parties["LV"].Name = "XX" }, "parties[1].name"},
		{"party without ids", func(c *Config) { c.Parties["LV"].IDs = nil }, "parties[1].ids"},
		{"empty party id", func(c *Config) { c.Parties["LV"].IDs[0].Value = " " }, "parties[1].ids[0].value: required"},
		{"untyped non-URI party id", func(c *Config) { c.Parties["DEMO"].IDs[0].Value = "demo" }, "parties[0].ids[0].type: required"},
		{"endpoint not http", func(c *Config) { c.Parties["DEMO"].Endpoints[1] = "ftp://x/as4" }, "parties[0].endpoints[1]"},
		{"endpoint without host", func(c *Config) { c.Parties["DEMO"].Endpoints[0] = "https:///as4" }, "parties[0].endpoints[0]"},
		{"endpoint with credentials", func(c *Config) { c.Parties["DEMO"].Endpoints[0] = "https://u:p@x/as4" }, "credentials"},
		{"duplicate endpoint", func(c *Config) { c.Parties["DEMO"].Endpoints[1] = c.Parties["DEMO"].Endpoints[0] }, "parties[0].endpoints[1]: duplicate"},
		{"responder without endpoint", func(c *Config) { c.Parties["DEMO"].Endpoints = nil }, "pmodes[0].responder.party: party \"DEMO\" has no endpoint"},
		{"no pmodes", func(c *Config) { c.PModes = nil }, "pmodes: at least one"},
		{"nil pmode", func(c *Config) { c.PModes = append(c.PModes, nil) }, "pmodes[1]: is nil"},
		{"no id", func(c *Config) { c.PModes[0].ID = "" }, "pmodes[0].id: required"},
		{"duplicate id", func(c *Config) {
			p := *c.PModes[0]
			p.Legs = []Leg{{Service: "urn:x", Action: "a"}}
			c.PModes = append(c.PModes, &p)
		}, "pmodes[1].id: duplicate"},
		{"duplicate leg", func(c *Config) { p := *c.PModes[0]; p.ID = "req2"; c.PModes = append(c.PModes, &p) }, `pmodes[1].legs[0]: service "QueryManager" action "ExecuteQueryRequest" from "LV" to "DEMO" is already in P-Mode "req"`},
		{"bad MEP", func(c *Config) { c.PModes[0].MEP = "sync" }, "pmodes[0].mep"},
		{"pull binding", func(c *Config) { c.PModes[0].MEPBinding = MEPBindingPull }, "pmodes[0].mepBinding: pull is not supported"},
		{"unknown initiator", func(c *Config) { c.PModes[0].Initiator.Party = "EE" }, `pmodes[0].initiator.party: unknown party "EE"`},
		{"no responder role", func(c *Config) { c.PModes[0].Responder.Role = "" }, "pmodes[0].responder.role: required"},
		{"no legs", func(c *Config) { c.PModes[0].Legs = nil }, "pmodes[0].legs: at least one"},
		{"no action", func(c *Config) { c.PModes[0].Legs[0].Action = "" }, "pmodes[0].legs[0].action: required"},
		{"no service", func(c *Config) { c.PModes[0].Legs[0].Service = "" }, "pmodes[0].legs[0].service: required"},
		{"untyped non-URI service", func(c *Config) { c.PModes[0].Legs[0].ServiceType = "" }, "pmodes[0].legs[0].serviceType: required"},
		{"SHA-1 signature", func(c *Config) {
			c.PModes[0].Security.SignatureAlgorithm = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
		}, "pmodes[0].security.signatureAlgorithm"},
		{"SHA-1 digest", func(c *Config) { c.PModes[0].Security.DigestAlgorithm = "http://www.w3.org/2000/09/xmldsig#sha1" }, "pmodes[0].security.digestAlgorithm"},
		{"AES-CBC", func(c *Config) {
			c.PModes[0].Security.DataEncryptionAlgorithm = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
		}, "pmodes[0].security.dataEncryptionAlgorithm"},
		{"RSA 1.5 key transport", func(c *Config) {
			c.PModes[0].Security.KeyTransportAlgorithm = "http://www.w3.org/2001/04/xmlenc#rsa-1_5"
		}, "pmodes[0].security.keyTransportAlgorithm"},
		{"no MGF", func(c *Config) { c.PModes[0].Security.KeyTransportMGF = "" }, "pmodes[0].security.keyTransportMGF"},
		{"non-repudiation unsigned", func(c *Config) { c.PModes[0].Security.Sign = false }, "pmodes[0].security.nonRepudiation: needs sign"},
		{"negative retries", func(c *Config) { c.PModes[0].Reliability.RetryCount = -1 }, "pmodes[0].reliability.retryCount"},
		{"too many retries", func(c *Config) { c.PModes[0].Reliability.RetryCount = 1000 }, "pmodes[0].reliability.retryCount"},
		{"zero interval", func(c *Config) { c.PModes[0].Reliability.RetryInterval = 0 }, "pmodes[0].reliability.retryInterval"},
		{"backoff below 1", func(c *Config) { c.PModes[0].Reliability.BackoffFactor = 0.5 }, "pmodes[0].reliability.backoffFactor"},
		{"backoff NaN", func(c *Config) { c.PModes[0].Reliability.BackoffFactor = math.NaN() }, "pmodes[0].reliability.backoffFactor"},
		{"no receipt timeout", func(c *Config) { c.PModes[0].Reliability.ReceiptTimeout = 0 }, "pmodes[0].reliability.receiptTimeout"},
		{"negative max payload", func(c *Config) { c.PModes[0].MaxPayloadSize = -1 }, "pmodes[0].maxPayloadSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.breakIt(c)
			err := c.Validate()
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %q does not name %q", err, tt.field)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Errorf("error does not carry a *FieldError")
			}
		})
	}
}

func TestValidateReportsAllProblems(t *testing.T) {
	c := validConfig()
	c.PModes[0].Legs[0].Action = ""
	c.PModes[0].Reliability.RetryCount = -1
	err := c.Validate()
	for _, want := range []string{"legs[0].action", "reliability.retryCount"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %s", err, want)
		}
	}
}

func TestParseRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"syntax error", `{"self": "LV",}`, "JSON syntax error at byte"},
		{"unknown field", `{"self": "LV", "colour": "red"}`, `unknown field "colour"`},
		{"unknown nested field", `{"parties": [{"name": "LV", "ids": [{"value": "urn:a", "kind": "x"}]}]}`, `unknown field "kind"`},
		{"wrong type", `{"self": 7}`, "self: want string"},
		{"bad duration", `{"pmodes": [{"reliability": {"retryInterval": "soon"}}]}`, `pmodes[0].reliability.retryInterval: "soon" is not a duration`},
		{"duration as number", `{"pmodes": [{"reliability": {"receiptTimeout": 60}}]}`, "pmodes.reliability.receiptTimeout: want string"},
		{"trailing data", `{"self": "LV"} {"self": "EE"}`, "data after the configuration object"},
		{"duplicate party", `{"self": "LV", "parties": [{"name": "LV"}, {"name": "LV"}]}`, `parties[1].name: duplicate party name "LV"`},
		{"empty object", `{}`, "self: required"},
		{"not an object", `[]`, "want pmode.fileConfig"},
		{"too large", `{"self": "` + strings.Repeat("x", MaxFileSize) + `"}`, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.json), "")
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
}
