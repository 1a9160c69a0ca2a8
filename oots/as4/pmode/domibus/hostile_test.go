package domibus

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

func network(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "network.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestImportRejectsHostileAndBrokenFiles(t *testing.T) {
	base := network(t)
	edit := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("test edit: %q not in network.xml", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	tests := []struct {
		name   string
		xml    string
		want   error // besides ErrInvalid
		expect string
	}{
		{"external entity (XXE)", `<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><db:configuration xmlns:db="http://domibus.eu/configuration" party="&x;"/>`, xmlsafe.ErrDoctype, ""},
		{"billion laughs", `<!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><c>&b;</c>`, xmlsafe.ErrDoctype, ""},
		{"oversize file", base + "<!--" + strings.Repeat("x", MaxFileSize) + "-->", xmlsafe.ErrTooLarge, ""},
		{"not XML", "party=lv_ap", xmlsafe.ErrEmpty, "no root element"},
		{"unclosed element", `<db:configuration xmlns:db="http://domibus.eu/configuration" party="x"><businessProcesses>`, nil, "malformed"},
		{"wrong root", `<configuration party="x"/>`, nil, "want {http://domibus.eu/configuration}configuration"},
		{"no businessProcesses", `<db:configuration xmlns:db="http://domibus.eu/configuration" party="x"/>`, nil, "businessProcesses is required"},
		{"missing @party", edit(` party="lv_ap">`, `>`), nil, "configuration: @party is required"},
		{"unknown @party", edit(` party="lv_ap">`, ` party="xx_ap">`), nil, `configuration @party: unknown party "xx_ap"`},
		{"leg without service", edit(`name="request" service="qm"`, `name="request"`), nil, "legConfiguration[@name='request']: @service is required"},
		{"leg with unknown security", edit(`security="as4" receptionAwareness`, `security="none" receptionAwareness`), nil, `legConfiguration "request" @security: unknown security "none"`},
		{"process with unknown leg", edit(`<leg name="response"/>`, `<leg name="reply"/>`), nil, `process "oots" leg @name: unknown legConfiguration "reply"`},
		{"process with unknown party", edit(`<responderParty name="fi_ap"/>`, `<responderParty name="de_ap"/>`), nil, `unknown party "de_ap"`},
		{"duplicate party", edit(`<party name="fi_ap"`, `<party name="ee_ap"`), nil, `party "ee_ap" is defined twice`},
		{"unknown partyIdType", edit(`partyId="fi_ap" partyIdType="oots"`, `partyId="fi_ap" partyIdType="gln"`), nil, `unknown partyIdType "gln"`},
		{"party without identifier", edit(`<identifier partyId="fi_ap" partyIdType="oots"/>`, ``), nil, "party[@name='fi_ap']: at least one identifier"},
		{"bad boolean", edit(`compressPayloads="true"`, `compressPayloads="yes"`), nil, `@compressPayloads="yes" is not a boolean`},
		{"huge maxSize", edit(`maxSize="104857600"`, `maxSize="99999999999999999999"`), nil, "@maxSize"},
		{"negative maxSize", edit(`maxSize="104857600"`, `maxSize="-1"`), nil, "@maxSize"},
		{"retry with two fields", edit(`retry="15;4;PROGRESSIVE"`, `retry="15;4"`), nil, "want timeout;count;strategy"},
		{"retry timeout not a number", edit(`retry="15;4;PROGRESSIVE"`, `retry="soon;4;PROGRESSIVE"`), nil, "timeout"},
		{"retry count too large", edit(`retry="15;4;PROGRESSIVE"`, `retry="15;100000;PROGRESSIVE"`), nil, "count"},
		{"retry unknown strategy", edit(`retry="15;4;PROGRESSIVE"`, `retry="15;4;RANDOM"`), nil, `strategy "RANDOM"`},
		{"ecc security profile", edit(`policy="eDeliveryAS4Policy_BST.xml" signatureMethod="RSA_SHA256"`, `profile="ecc"`), nil, `profile "ecc" is not supported`},
		{"SHA-1 signature method", edit(`signatureMethod="RSA_SHA256"`, `signatureMethod="RSA_SHA1"`), nil, `signatureMethod "RSA_SHA1"`},
		{"security without policy or profile", edit(`policy="eDeliveryAS4Policy_BST.xml" signatureMethod="RSA_SHA256"`, ``), nil, "@policy or @profile is required"},
		{"pull binding", edit(`<binding name="push" value="http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/push"/>`, `<binding name="push" value="http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/pull"/>`), nil, "mepBinding: pull is not supported"},
		{"endpoint not http", edit(`endpoint="https://ap.fi.example/domibus/services/msh"`, `endpoint="file:///etc/passwd"`), nil, "endpoints[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(strings.NewReader(tt.xml))
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, pmode.ErrInvalid) {
				t.Fatalf("error = %v, want ErrInvalid", err)
			}
			if !errors.Is(err, pmode.ErrInvalid) {
				t.Errorf("error %v does not wrap pmode.ErrInvalid", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.expect) {
				t.Errorf("error %q does not mention %q", err, tt.expect)
			}
		})
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	bad := strings.Replace(network(t), `compressPayloads="true"`, `compressPayloads="maybe"`, 1)
	bad = strings.Replace(bad, `security="signOnly"`, `security="nothing"`, 1)
	_, err := Parse(bytes.NewReader([]byte(bad)))
	for _, want := range []string{"compressPayloads", `unknown security "nothing"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %s", err, want)
		}
	}
}
