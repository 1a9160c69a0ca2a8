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
// Answers to requests that cannot be served, each with a readable detail:
//
//	EDM:ERR:0003  not readable (malformed XML, DOCTYPE, over 8 MiB, not a
//	              QueryRequest), a preview of another exchange or evidence
//	              type, evidence already delivered for this preview
//	EDM:ERR:0007  unsupported EDM version; PossibilityForPreview false
//	              (MessageNoPreview)
//	EDM:ERR:0006  evidence type not served, no data service of ours named,
//	              PreviewLocation not ours or unknown
//	EDM:ERR:0004  unknown subject (no identifier, or a person asking for
//	              company evidence and the other way round)
//	EDM:ERR:0001  second request for another subject or requester
//	EDM:ERR:0005  preview expired (MessageExpired, PreviewLocation kept)
//	EDM:ERR:0008  the citizen refused (MessageRefused, PreviewLocation kept)
//
// The preview space (routes below the path of Config.PreviewURL):
//
//	GET  {token}           sign-in page: the citizen gives their identifier
//	POST {token}/view      the evidence, once: HTML, or View as JSON
//	POST {token}/decision  approve or refuse, once: HTML, or Decided as JSON
//
// Bodies are forms or JSON: {"subject": "LV/DE/123", "decision": "approve"}.
// The identifier stands in for the eIDAS sign-in a real provider would
// ask for; the token (256 random bits) is stored only as its SHA-256.
//
// No evidence leaves the provider without approval. Preview state lives
// in SQLite (modernc.org/sqlite), so a restart loses nothing; a decision is
// taken once and a replayed approval changes nothing.
package provider
