package exchange

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
)

// MemberStates are the countries taking part in the Once-Only Technical
// System (the EU and the EEA states), by ISO 3166 code: the candidates a
// citizen may ask for evidence.
var MemberStates = []string{
	"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
	"IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
}

// EvidenceCountries returns the member states in which the Evidence
// Broker knows an evidence type that proves requirement, in the order of
// MemberStates: the only countries it makes sense to ask. The look-ups
// run in parallel and are cached by the directory client.
func (q *Requests) EvidenceCountries(ctx context.Context, requirement string) ([]string, error) {
	found := make([]bool, len(MemberStates))
	errs := make([]error, len(MemberStates))
	var wg sync.WaitGroup
	for i, country := range MemberStates {
		wg.Go(func() {
			reqs, err := q.dir.EvidenceTypes(ctx, commonsvc.EvidenceTypesQuery{RequirementID: requirement, Country: country})
			var qe *commonsvc.QueryError
			if errors.As(err, &qe) {
				return // EB:ERR:0001 and the like: none in this country
			}
			errs[i] = err
			for _, r := range reqs {
				if len(r.EvidenceTypes()) > 0 {
					found[i] = true
				}
			}
		})
	}
	wg.Wait()
	var out []string
	for i, ok := range found {
		if ok {
			out = append(out, MemberStates[i])
		}
	}
	if len(out) == 0 {
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// evidenceCountries answers GET /v1/evidence-countries?requirement=URN.
func (a *restAPI) evidenceCountries(w http.ResponseWriter, r *http.Request) {
	if a.reqs == nil {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "evidence requests are not served here")
		return
	}
	req := r.URL.Query().Get("requirement")
	if req == "" || len(req) > 512 || strings.ContainsAny(req, " \t\r\n") {
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, "requirement must be a requirement's URI")
		return
	}
	list, err := a.reqs.EvidenceCountries(r.Context(), req)
	if err != nil {
		a.log.Warn("evidence countries: the Evidence Broker does not answer", "requirement", req, "err", err)
		w.Header().Set("Retry-After", "30")
		writeError(w, http.StatusServiceUnavailable, api.CodeUnavailable, "the Evidence Broker does not answer; try again shortly")
		return
	}
	writeJSON(w, http.StatusOK, api.CountryList{Requirement: req, Countries: list})
}
