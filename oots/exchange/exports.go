package exchange

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ExportLedger writes who's ledger entries (every consent, exchange and
// access to their evidence) as JSON or CSV.
func (q *Requests) ExportLedger(ctx context.Context, who Principal, format string, w io.Writer) error {
	switch format {
	case "json":
		return q.ledger.ExportJSON(ctx, w, who.Subject)
	case "csv":
		return q.ledger.ExportCSV(ctx, w, who.Subject)
	}
	return fmt.Errorf("%w: format must be json or csv", ErrInvalid)
}

// Calendar writes who's open requests' expected-by times as an iCalendar
// (RFC 5545) document, one event per pending step, so they can be put in
// a calendar (P12 predictable).
func (q *Requests) Calendar(ctx context.Context, who Principal, w io.Writer) error {
	list, err := q.List(ctx, who)
	if err != nil {
		return err
	}
	stamp := q.now().UTC().Format("20060102T150405Z")
	var b bytes.Buffer
	line := func(s string) { b.WriteString(foldICS(s)); b.WriteString("\r\n") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Vienreiz//Evidence requests//EN")
	for _, r := range list {
		for _, at := range []struct {
			t    *time.Time
			what string
		}{{r.ExpectedBy, "next step of"}, {r.DecisionBy, "decision on"}} {
			if at.t == nil {
				continue
			}
			title := r.Requirement
			if r.EvidenceType != nil && r.EvidenceType.Title["EN"] != "" {
				title = r.EvidenceType.Title["EN"]
			}
			line("BEGIN:VEVENT")
			line("UID:" + r.ID + "-" + strings.ReplaceAll(at.what, " ", "-") + "@vienreiz")
			line("DTSTAMP:" + stamp)
			line("DTSTART:" + at.t.UTC().Format("20060102T150405Z"))
			line("SUMMARY:" + escapeICS("Expected: "+at.what+" "+title+" ("+r.State+")"))
			line("END:VEVENT")
		}
	}
	line("END:VCALENDAR")
	_, err = w.Write(b.Bytes())
	return err
}

// escapeICS escapes text values (RFC 5545, 3.3.11).
func escapeICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "").Replace(s)
}

// foldICS folds a content line at 75 octets without splitting a UTF-8
// character (RFC 5545, 3.1).
func foldICS(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		size := len(string(r))
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	return b.String()
}

func (a *restAPI) exportLedger(w http.ResponseWriter, r *http.Request, who Principal) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	var buf bytes.Buffer
	if err := a.reqs.ExportLedger(r.Context(), who, format, &buf); err != nil {
		a.answer(w, r, http.StatusOK, nil, err)
		return
	}
	types := map[string]string{"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8"}
	w.Header().Set("Content-Type", types[format])
	w.Header().Set("Content-Disposition", `attachment; filename="vienreiz-ledger.`+format+`"`)
	_, _ = w.Write(buf.Bytes())
}

func (a *restAPI) calendar(w http.ResponseWriter, r *http.Request, who Principal) {
	var buf bytes.Buffer
	if err := a.reqs.Calendar(r.Context(), who, &buf); err != nil {
		a.answer(w, r, http.StatusOK, nil, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="vienreiz.ics"`)
	_, _ = w.Write(buf.Bytes())
}
