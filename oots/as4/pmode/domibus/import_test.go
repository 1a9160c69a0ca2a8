package domibus

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (run with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from output:\n%s", path, got)
	}
}

// importFile parses and converts a Domibus file, writing both results to
// golden files.
func importFile(t *testing.T, path, goldenPrefix string) (*File, *pmode.Config) {
	t.Helper()
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	f, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	model, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, goldenPrefix+".model.golden.json", append(model, '\n'))
	c, err := f.Convert()
	if err != nil {
		t.Fatal(err)
	}
	out, err := pmode.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, goldenPrefix+".pmode.golden.json", out)
	return f, c
}

func TestImportOOTSFranceSample(t *testing.T) {
	path := filepath.Join(spectest.Dir(t), "as4", "v2.0", "oots-france-pmode", "configuration_PMode_Domibus.xml")
	f, c := importFile(t, path, "oots-france")

	if f.Party != "blue_gw" || len(f.Legs) != 4 || len(f.Processes) != 1 || len(f.PropertySets) != 1 || len(f.ErrorHandlings) != 2 {
		t.Errorf("model: party %q, %d legs, %d processes", f.Party, len(f.Legs), len(f.Processes))
	}
	if ra := f.ReceptionAwares[0]; ra.RetryTimeout != 12*time.Minute || ra.RetryCount != 4 || ra.Strategy != "CONSTANT" || !ra.DuplicateDetection {
		t.Errorf("receptionAwareness = %+v", ra)
	}
	if c.Self != "blue_gw" {
		t.Errorf("Self = %q", c.Self)
	}
	gw := c.Parties["blue_gw"]
	if len(gw.IDs) != 1 || gw.IDs[0] != (pmode.PartyID{Value: "blue_gw", Type: "urn:oasis:names:tc:ebcore:partyid-type:unregistered:oots"}) {
		t.Errorf("party ids = %+v", gw.IDs)
	}
	if len(gw.Endpoints) != 1 || gw.Endpoints[0] != "http://localhost:8080/domibus/services/msh" {
		t.Errorf("endpoints = %v", gw.Endpoints)
	}
	if len(c.PModes) != 4 {
		t.Fatalf("%d P-Modes, want 4 (one per leg)", len(c.PModes))
	}
	req, err := c.Find("QueryManager", "ExecuteQueryRequest", "blue_gw")
	if err != nil {
		t.Fatal(err)
	}
	if req.ID != "ootsRequestLeg" || req.Legs[0].ServiceType != "urn:oasis:names:tc:ebcore:ebrs:ebms:binding:1.0" || !req.Compress {
		t.Errorf("request P-Mode = %+v", req)
	}
	if req.Initiator.Role != pmode.RoleOOTSGateway || req.MEP != pmode.MEPOneWay || req.MEPBinding != pmode.MEPBindingPush {
		t.Errorf("roles/MEP: %+v %q %q", req.Initiator, req.MEP, req.MEPBinding)
	}
	if req.Security != pmode.DefaultSecurity() {
		t.Errorf("profile rsa security = %+v, want AS4 1.15 defaults", req.Security)
	}
	if r := req.Reliability; r.RetryCount != 4 || r.RetryInterval != 3*time.Minute || r.BackoffFactor != 1 || !r.DuplicateDetection {
		t.Errorf("reliability = %+v, want 4 retries every 3 minutes", r)
	}
	resp, err := c.Find("QueryManager", "ExecuteQueryResponse", "blue_gw")
	if err != nil || resp.Compress {
		t.Errorf("response P-Mode: %+v, %v (compressPayloads=false)", resp, err)
	}
	test, err := c.Find("http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/service", "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/test", "blue_gw")
	if err != nil || test.Legs[0].ServiceType != "" {
		t.Errorf("test service P-Mode: %v, %v", test, err)
	}
}

func TestImportNetwork(t *testing.T) {
	f, c := importFile(t, filepath.Join("testdata", "network.xml"), "network")
	if len(f.Payloads) != 2 || f.PayloadProfiles[0].MaxSize != 100<<20 || len(f.PayloadProfiles[0].Attachments) != 2 {
		t.Errorf("payload profiles = %+v, payloads %+v", f.PayloadProfiles, f.Payloads)
	}
	// 2 legs × pairs that include lv_ap: lv→lv, lv→ee, lv→fi, ee→lv, fi→lv.
	if len(c.PModes) != 10 {
		t.Fatalf("%d P-Modes, want 10", len(c.PModes))
	}
	for _, pm := range c.PModes {
		if pm.Initiator.Party != "lv_ap" && pm.Responder.Party != "lv_ap" {
			t.Errorf("P-Mode %s between two other parties", pm.ID)
		}
	}
	req, err := c.Find("QueryManager", "ExecuteQueryRequest", "ee_ap")
	if err != nil {
		t.Fatal(err)
	}
	if req.ID != "request@lv_ap>ee_ap" || req.MaxPayloadSize != 100<<20 || req.Agreement != "urn:example:agreement:oots" || req.AgreementType != "urn:example:agreement-type" {
		t.Errorf("request = %+v", req)
	}
	if r := req.Reliability; r.RetryCount != 4 || r.BackoffFactor != 2 || r.RetryInterval != time.Minute {
		t.Errorf("PROGRESSIVE 15;4 = %+v, want 4 retries from 1m doubling (1+2+4+8 = 15)", r)
	}
	if !req.Security.Sign || !req.Security.Encrypt || !req.Security.NonRepudiation {
		t.Errorf("BST policy security = %+v", req.Security)
	}
	resp, err := c.Match("ee_ap", "lv_ap", "QueryManager", "ExecuteQueryResponse")
	if err != nil {
		t.Fatal(err)
	}
	if s := resp.Security; !s.Sign || s.Encrypt || s.SignatureAlgorithm != pmode.AlgRSASHA512 {
		t.Errorf("signOnly RSA_SHA512 security = %+v", s)
	}
	if r := resp.Reliability; r.RetryCount != 0 || r.DuplicateDetection {
		t.Errorf("SEND_ONCE reliability = %+v", r)
	}
	ee := c.Parties["ee_ap"]
	if len(ee.IDs) != 2 || ee.IDs[1] != (pmode.PartyID{Value: "urn:example:ee:second-id"}) {
		t.Errorf("ee ids = %+v", ee.IDs)
	}
	if c.PartyByID("urn:example:ee:second-id", "") != ee {
		t.Error("second, untyped identifier not found")
	}
}
