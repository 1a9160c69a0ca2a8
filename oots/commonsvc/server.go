package commonsvc

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// Server is an embedded Evidence Broker and Data Service Directory: an
// http.Handler with the OOTS RegRep 4 REST query interface over a
// Directory. It answers GET on /rest/search, /eb/rest/search,
// /dsd/rest/search, /query/eb/rest/search and /query/dsd/rest/search; the
// queryId decides the service. Every query answer, errors included, is a
// query:QueryResponse with HTTP status 200.
//
// Those paths answer in the v1.0 format; the same paths below V2Path
// answer DSD queries in the v2.0 format (oots-cs:v2.0), as the EC runs one
// Common Services endpoint per specification version. A v1.0 DSD answer
// lists only access services conforming to oots-edm:v1.0
// (R-DSD-RESP-C015); the v2.0 answer lists every one with its EDM version.
type Server struct {
	dir    *Directory
	logger *slog.Logger
	mux    *http.ServeMux
}

// NewServer returns a server for dir; logger may be nil.
func NewServer(dir *Directory, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{dir: dir, logger: logger, mux: http.NewServeMux()}
	for _, p := range []string{"/rest/search", "/eb/rest/search", "/dsd/rest/search", "/query/eb/rest/search", "/query/dsd/rest/search"} {
		s.mux.HandleFunc("GET "+p, s.search)
		s.mux.HandleFunc("GET "+V2Path+p, s.search)
	}
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	key := q.Encode()
	var body []byte
	var err error
	switch q.Get(ParamQueryID) {
	case QueryRequirements:
		var reqs []Requirement
		if reqs, err = s.dir.Requirements(RequirementsQuery{Procedure: q.Get(ParamProcedure), Country: q.Get(ParamCountry),
			AdminLevel2: q.Get(ParamAdminLevel2), AdminLevel3: q.Get(ParamAdminLevel3)}); err == nil {
			body, err = EncodeRequirements(reqs, key)
		}
	case QueryEvidenceTypes:
		var reqs []Requirement
		if reqs, err = s.dir.EvidenceTypes(EvidenceTypesQuery{RequirementID: q.Get(ParamRequirement), Country: q.Get(ParamCountry),
			AdminLevel2: q.Get(ParamAdminLevel2), AdminLevel3: q.Get(ParamAdminLevel3)}); err == nil {
			body, err = EncodeRequirements(reqs, key)
		}
	case QueryDataServices:
		var ts []DataServiceEvidenceType
		if ts, err = s.dir.DataServices(dataServicesQueryOf(q)); err == nil {
			if strings.HasPrefix(r.URL.Path, V2Path+"/") {
				body, err = EncodeDataServicesV2(ts, key)
			} else if ts = conformingTo(ts, EDMv1); len(ts) == 0 {
				err = newQueryError(DataServiceDirectory, DSDNoDataServices, "no data service conforms to "+EDMv1)
			} else {
				body, err = EncodeDataServices(ts, key)
			}
		}
	default:
		svc, code := EvidenceBroker, EBUnknownQuery
		if strings.Contains(r.URL.Path, "/dsd/") || strings.Contains(q.Get(ParamQueryID), ":dsd:") {
			svc, code = DataServiceDirectory, DSDUnknownQuery
		}
		err = newQueryError(svc, code, q.Get(ParamQueryID))
	}
	var qe *QueryError
	var ae *AttributesRequiredError
	switch {
	case errors.As(err, &ae):
		body, err = EncodeAttributesRequired(ae)
	case errors.As(err, &qe):
		body, err = EncodeQueryError(qe)
	}
	if err != nil {
		s.logger.ErrorContext(r.Context(), "directory answer failed", "query", key, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.logger.DebugContext(r.Context(), "directory query", "query", key, "code", CodeOf(qeOrAe(qe, ae)))
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write(body)
}

// conformingTo returns ts with only the access services of EDM version
// edm, leaving out the evidence types without any.
func conformingTo(ts []DataServiceEvidenceType, edm string) []DataServiceEvidenceType {
	var out []DataServiceEvidenceType
	for _, t := range ts {
		var keep []DataService
		for _, svc := range t.Services {
			if svc.EDMVersion == edm {
				keep = append(keep, svc)
			}
		}
		if len(keep) > 0 {
			t.Services = keep
			out = append(out, t)
		}
	}
	return out
}

func qeOrAe(qe *QueryError, ae *AttributesRequiredError) error {
	if ae != nil {
		return ae
	}
	if qe != nil {
		return qe
	}
	return nil
}

// dataServicesQueryOf reads a DSD query; every parameter that is not a
// standard one is taken as a classification answer (id=value).
func dataServicesQueryOf(v url.Values) DataServicesQuery {
	q := DataServicesQuery{
		Classification:      v.Get(ParamClassification),
		Country:             v.Get(ParamCountry),
		EvidenceTypeID:      v.Get(ParamEvidenceTypeID),
		JurisdictionContext: v.Get(ParamJurisdictionContext),
		AdminLevel2:         v.Get(ParamAdminLevel2),
		AdminLevel3:         v.Get(ParamAdminLevel3),
	}
	for k := range v {
		switch k {
		case ParamQueryID, ParamClassification, ParamCountry, ParamEvidenceTypeID, ParamJurisdictionContext, ParamAdminLevel2, ParamAdminLevel3:
			continue
		}
		if q.Classifications == nil {
			q.Classifications = map[string]string{}
		}
		q.Classifications[k] = v.Get(k)
	}
	return q
}

// Specification versions of the answers and access services.
const (
	// V2Path is the path prefix of the v2.0 query interface.
	V2Path = "/v2.0"
	// SpecificationV2 is the SpecificationIdentifier of v2.0 answers.
	SpecificationV2 = "oots-cs:v2.0"
	// EDMv1 is the sdg:ConformsTo of access services speaking EDM v1.0.
	EDMv1 = "oots-edm:v1.0"
)
