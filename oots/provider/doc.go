// Package provider is the embedded demo member state of Vienreiz: the
// evidence-provider side of an OOTS exchange (corners 3 and 4).
//
// A Provider receives EDM QueryRequests as AS4 user messages on two
// listeners (two access points in separate data centres sharing one
// duplicate store), and answers each one asynchronously with an AS4 user
// message back to the requester: ExceptionResponse for EDM errors,
// ExecuteQueryResponse for evidence. RefToMessageId points at the request,
// the ConversationId and the ExchangeId message property are the
// request's, and the EDM version is the request's.
//
// The flow, for each request:
//
//   - first request (no PreviewLocation): EDM:ERR:0002 with a
//     PreviewLocation on the provider's preview space, a one-time URL bound
//     to the subject of the request;
//   - the citizen opens the preview space (PreviewHandler), identifies
//     with the identifier of the request, sees the evidence once (HTML or a
//     JSON view: field, value, source, legal basis) and approves or
//     refuses before the preview expires;
//   - second request with the PreviewLocation: the evidence as an AS4
//     attachment with its metadata in a QueryResponse if approved, else the
//     error of the case (see the Message* constants).
//
// No evidence leaves the provider without approval. Preview state lives
// in SQLite (modernc.org/sqlite), so a restart loses nothing; a decision is
// taken once and a replayed approval changes nothing.
package provider
