// Package requester is the evidence-requester side of an OOTS exchange
// (corners 1 and 2, Latvia): it turns a small Query into an EDM QueryRequest,
// sends it as an AS4 user message to the provider's access points, and hands
// the provider's answers (ExecuteQueryResponse, ExceptionResponse) to a
// callback with their evidence attachments copied to files.
//
// Sending goes through as4.Sender with a persistent outbox in SQLite
// (oots/as4/sqlitestore): retries with back-off, failover across the
// provider's endpoints, and Run resends what an earlier run left unsent.
// Receiving goes through two as4.Receiver listeners (AS4Handlers) sharing
// one duplicate store in the same database, so an answer is delivered once
// even when it arrives at both.
//
// When Config.OnAnswer fails, the listener answers HTTP 503 without an ebMS
// signal instead of an EBMS:0202 error signal. as4.Sender treats an ebMS
// error as final but an answer without a signal as transient, so the
// provider fails over and retries; the Receiver releases its duplicate
// claim on a failed delivery, so the retry is delivered again. Answers that
// can never be delivered (unreadable EDM, wrong action, missing
// attachment) get the EBMS:0202 error signal naming what was wrong.
package requester
