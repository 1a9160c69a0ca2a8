package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

// RecordsAPI is what the app needs to hand users their own records;
// *client.Client (with a token) satisfies it.
type RecordsAPI interface {
	ExportLedger(ctx context.Context, format string, w io.Writer) error
	Calendar(ctx context.Context, w io.Writer) error
}

// Records exports the user's own records: the ledger of every exchange,
// consent and access to their evidence (JSON or CSV), and the dates by
// which their open requests' next steps are expected, as a calendar.
type Records struct {
	api RecordsAPI
	log *slog.Logger
}

// NewRecords returns the records over a.
func NewRecords(a RecordsAPI, log *slog.Logger) *Records { return &Records{api: a, log: log} }

// LedgerFormats are the formats Ledger writes.
var LedgerFormats = []string{"csv", "json"}

// Ledger writes the user's ledger in format (one of LedgerFormats) to w.
func (r *Records) Ledger(ctx context.Context, format string, w io.Writer) error {
	if err := r.api.ExportLedger(ctx, format, w); err != nil {
		r.log.Warn("exporting the ledger failed", "format", format, "err", err)
		return fmt.Errorf("ledger export: %w", err)
	}
	return nil
}

// Calendar writes the expected-by dates of the user's open requests to w
// as an iCalendar file.
func (r *Records) Calendar(ctx context.Context, w io.Writer) error {
	if err := r.api.Calendar(ctx, w); err != nil {
		r.log.Warn("exporting the calendar failed", "err", err)
		return fmt.Errorf("calendar export: %w", err)
	}
	return nil
}
