// Package commonsvc talks to the OOTS common services: the Evidence Broker
// (EB), which maps a procedure to its requirements and a requirement to the
// evidence types that prove it in a country, and the Data Service Directory
// (DSD), which names the evidence providers for an evidence type and the
// eDelivery access point (AS4 party id) behind which each one answers.
//
// Both use the OASIS ebXML RegRep 4 REST query binding: an HTTP GET with a
// queryId URN and simple parameters, answered by a query:QueryResponse.
// Client runs the three OOTS queries with time-outs, a bounded cache and
// typed errors (QueryError for EB:ERR / DSD:ERR codes, AttributesRequiredError
// for DSD:ERR:0005, UnavailableError when a service cannot be reached).
// ParseRequirements, ParseEvidenceTypes and ParseDataServices read answers of
// the v1.0 and v2.0 specifications.
//
// Server is an embedded directory: an http.Handler serving the same query
// interface from a Directory, by default the demo data embedded in this
// package (LV, EE, LT, FI, DE). Its answers follow OOTS v1.0 (oots-cs v1).
package commonsvc
