package commonsvc_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
)

// The look-up of the main flow against the embedded demo directory: the
// evidence types for proof of residence in Germany, the DSD asking for the
// Land, and the provider once it is given.
func Example() {
	dir, err := demodir.Directory()
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(commonsvc.NewServer(dir, nil))
	defer srv.Close()
	c := &commonsvc.Client{
		EBURL:  srv.URL + "/query/eb/rest/search",
		DSDURL: srv.URL + "/query/dsd/rest/search",
		Cache:  commonsvc.NewCache(commonsvc.CacheConfig{TTL: time.Hour}),
	}
	ctx := context.Background()

	reqs, err := c.EvidenceTypes(ctx, commonsvc.EvidenceTypesQuery{
		RequirementID: "https://sr.oots.tech.europa.eu/requirements/ae2cfbb0-c834-5fb4-b1f4-381711fb5f63", Country: "DE"})
	if err != nil {
		panic(err)
	}
	et := reqs[0].EvidenceTypes()[0]
	fmt.Println("evidence type:", et.Titles.Get("EN"))

	q := commonsvc.DataServicesQuery{Classification: et.Classification, Country: "DE"}
	_, err = c.DataServices(ctx, q)
	var ask *commonsvc.AttributesRequiredError
	if errors.As(err, &ask) {
		r := ask.Requests[0]
		fmt.Printf("ask the user: %s (%s, %s)\n", r.Jurisdiction.Contexts.Get("EN"), r.Jurisdiction.Level, r.Jurisdiction.Param())
		q.EvidenceTypeID, q.JurisdictionContext, q.AdminLevel2 = r.EvidenceType.ID, r.Jurisdiction.ContextID, "DE6"
	}
	ts, err := c.DataServices(ctx, q)
	if err != nil {
		panic(err)
	}
	s := ts[0].Services[0]
	fmt.Println("provider:", s.Provider.Names.Get("EN"))
	fmt.Println("AS4 party:", s.PartyID.URN(), s.EDMVersion)
	// Output:
	// evidence type: Certificate of registration (Meldebescheinigung)
	// ask the user: Land (federal state) of the place of residence (NUTS1, jurisdiction-admin-l2)
	// provider: Registration office Hamburg (demo)
	// AS4 party: urn:oasis:names:tc:ebcore:partyid-type:unregistered:demo-de-hamburg-meldebehoerde oots-edm:v1.0
}
