package commonsvc

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"
)

// TestAnswerFormatPerVersion: the v1.0 query interface gives only access
// services conforming to oots-edm:v1.0 (R-DSD-RESP-C015), so a Finnish
// evidence type, served in EDM v2.0 only, has no data service there; the
// v2.0 interface gives it in a v2.0 answer that names its specification.
func TestAnswerFormatPerVersion(t *testing.T) {
	d := demo(t)
	srv := httptest.NewServer(NewServer(d, nil))
	defer srv.Close()
	ctx := context.Background()
	v1, v2 := ClientAt(srv.URL, nil, nil), ClientAt(srv.URL+V2Path, nil, nil)
	fi, de := 0, 0
	for _, et := range d.types {
		q := DataServicesQuery{Classification: et.classification, Country: et.country}
		if et.jurisdiction != nil || len(et.concepts) > 0 {
			continue // DSD:ERR:0005 first; the same filter applies after it
		}
		got2, err := v2.DataServices(ctx, q)
		if err != nil || len(got2) == 0 {
			t.Fatalf("v2.0 %s: %v", et.slug, err)
		}
		got1, err1 := v1.DataServices(ctx, q)
		for _, s := range got2[0].Services {
			switch {
			case s.EDMVersion == "oots-edm:v2.0" && CodeOf(err1) != DSDNoDataServices:
				t.Errorf("v1.0 %s with a v2.0-only provider: %v %+v; want DSD:ERR:0001", et.slug, err1, got1)
			case s.EDMVersion == "oots-edm:v2.0":
				fi++
			case s.EDMVersion == EDMv1 && (err1 != nil || len(got1) == 0 || got1[0].Services[0].EDMVersion != EDMv1):
				t.Errorf("v1.0 %s: %v %+v; want its v1.0 service", et.slug, err1, got1)
			case s.EDMVersion == EDMv1:
				de++
			}
		}
	}
	if fi == 0 || de == 0 {
		t.Fatalf("checked %d v2.0 and %d v1.0 services; want some of each", fi, de)
	}
	ts, err := d.DataServices(DataServicesQuery{Classification: d.types[0].classification, Country: d.types[0].country})
	if err != nil {
		t.Fatal(err)
	}
	body, err := EncodeDataServicesV2(ts, "k")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(body, []byte("<rim:Value>"+SpecificationV2+"</rim:Value>")) {
		t.Fatalf("v2.0 answer without SpecificationIdentifier %s:\n%s", SpecificationV2, body)
	}
}
