package app

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/client"
)

// Problem is what went wrong, told to a person: a sentence saying what to
// do, and the code of the help centre page that explains it (P13).
type Problem struct {
	Code string
	Text string
}

// HelpCodes are the codes the help centre has a page for: every error
// the app may show — ours, and the OOTS codes of the Evidence Broker
// (EB), the Data Service Directory (DSD), the evidence exchange (EDM) and
// the AS4 transport (EBMS) — in the order the help centre lists them.
var HelpCodes = []string{
	"unavailable", "offline_data", "not_found", "query_too_long", "invalid_filter",
	"digest_mismatch", "too_large", "no_viewer", "no_browser", "no_country", "provider_refused", "provider_unavailable",
	api.CodeEvidenceForCompanies, api.CodeEvidenceForPersons,
	api.CodeMandateRevoked, api.CodeMandateExpired, api.CodeMandateNotYetValid, api.CodeMandateOutOfScope, "generic",
	"EB:ERR:0001", "DSD:ERR:0001", "DSD:ERR:0002", "DSD:ERR:0005",
	"EDM:ERR:0001", "EDM:ERR:0002", "EDM:ERR:0003", "EDM:ERR:0004", "EDM:ERR:0005", "EDM:ERR:0006",
	"EBMS:0004", "EBMS:0005", "EBMS:0301",
}

// serviceCodesWithPages are the service's error codes that have a
// sentence and a help centre page of their own.
var serviceCodesWithPages = []string{
	api.CodeProviderRefused, api.CodeProviderUnavailable, api.CodeEvidenceForCompanies, api.CodeEvidenceForPersons,
}

// HelpPage is one help centre page in the current language.
type HelpPage struct {
	Code  string
	Title string
	// What happened, and what to do about it.
	What, Do string
}

// Help returns the help centre page of code; a code without a page of its
// own gets the general one, naming the code.
func Help(code string) HelpPage {
	key := code
	if lang.X("help."+code+".title", "") == "" {
		key = "generic"
	}
	return HelpPage{
		Code:  code,
		Title: lang.L("help." + key + ".title"),
		What:  lang.L("help." + key + ".what"),
		Do:    lang.L("help." + key + ".do"),
	}
}

// ProblemOf turns an error into a Problem a person can act on.
func ProblemOf(err error) Problem {
	code := ""
	var apiErr *client.APIError
	switch {
	case err == nil:
		return Problem{}
	case errors.Is(err, catalogue.ErrQueryTooLong):
		code = "query_too_long"
	case errors.Is(err, catalogue.ErrInvalidFilter):
		code = "invalid_filter"
	case errors.Is(err, ErrDigestMismatch):
		code = "digest_mismatch"
	case errors.Is(err, client.ErrTooLarge):
		code = "too_large"
	case errors.Is(err, ErrResultEmpty):
		code = "result_empty"
	case errors.Is(err, ErrResultTooLarge):
		code = "result_too_large"
	case errors.Is(err, ErrResultType):
		code = "result_type"
	case errors.Is(err, ErrResultTitle):
		code = "result_title"
	case errors.Is(err, ErrStillOpen):
		code = "still_open"
	case errors.As(err, &apiErr) && (apiErr.Code == api.CodeDecidedMeanwhile || apiErr.Code == api.CodeUnderWay):
		code = apiErr.Code
	case errors.As(err, &apiErr) && (slices.Contains(serviceCodesWithPages, apiErr.Code) || slices.Contains(mandateCodes, apiErr.Code)):
		code = apiErr.Code
	case errors.Is(err, client.ErrNotFound):
		code = "not_found"
	case errors.Is(err, client.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		code = "unavailable"
	default:
		code = "generic"
	}
	return problemOfCode(code)
}

// MandateRefused reports whether err is the service refusing the use of a
// mandate: it was revoked, has ended, has not started or does not cover
// the service.
func MandateRefused(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr) && slices.Contains(mandateCodes, apiErr.Code)
}

var mandateCodes = []string{api.CodeMandateRevoked, api.CodeMandateExpired, api.CodeMandateNotYetValid, api.CodeMandateOutOfScope}

// OutOfDate reports whether err refused a change made on a copy that has
// changed since (409: e.g. an application decided meanwhile): the screen
// reads it again. Evidence under way is a 409 about another request: the
// screen, and what was typed into it, stay.
func OutOfDate(err error) bool {
	var apiErr *client.APIError
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict && apiErr.Code != api.CodeUnderWay
}

// problemOfCode is the Problem of one of our own error codes.
func problemOfCode(code string) Problem {
	return Problem{Code: code, Text: lang.L("error." + code)}
}

// ProblemOfCode is the Problem of an OOTS error code a request failed
// with (e.g. EB:ERR:0001); detail is the provider's own words, shown when
// the code has no sentence of ours.
func ProblemOfCode(code, detail string) Problem {
	return Problem{Code: code, Text: lang.X("code."+code, detail)}
}

// RequestProblem is the Problem a failed request shows: its code's, said
// of the answers when the directory found no provider for them.
func RequestProblem(req *api.Request) Problem {
	if NoneForTheAnswers(req) {
		return Problem{Code: req.ErrorCode, Text: lang.L("code.DSD:ERR:0001.answers")}
	}
	return ProblemOfCode(req.ErrorCode, req.Problem)
}

// calledOff reports whether err only says that whoever made the call gave
// it up (its context was cancelled, e.g. the inbox reconnecting after a
// sign-in): nothing to show, and nothing about the service.
func calledOff(err error) bool { return errors.Is(err, context.Canceled) }

// UserMessage turns an error into a translated sentence a person can act on.
func UserMessage(err error) string { return ProblemOf(err).Text }

// Connection tells whether the exchange service answers. When a call
// fails because it cannot be reached (or its database is down), Banner
// says so, and that what the screens show is the copy loaded before;
// Retry runs the failed loads again. The first call that succeeds clears
// the banner and runs the other failed loads again, so that no screen
// keeps the copy or the problem of the outage once the service is back.
// While loads fail, they are retried on their own, after 5 s, then after
// twice as long each time up to a minute.
type Connection struct {
	// Banner is "" while the service answers, else a translated sentence.
	Banner binding.String

	mu      sync.Mutex
	failing map[string]func() // failed loads by name, to run again
	lastOK  time.Time
	now     func() time.Time
	// run runs the failed loads again once the service answers (go f();
	// the session's Background).
	run func(func())
	// after calls f once d has passed (time.AfterFunc) and returns what
	// stops it; cancelRetry stops the retry armed, wait is how long the
	// next one waits.
	after       func(d time.Duration, f func()) (stop func() bool)
	cancelRetry func() bool
	wait        time.Duration
	// stopped: nothing is retried on its own any more (Stop).
	stopped bool
}

// Waits between the automatic retries of failed loads.
const (
	firstRetry = 5 * time.Second
	lastRetry  = time.Minute
)

// NewConnection returns a connection that has not failed yet.
func NewConnection() *Connection {
	return &Connection{Banner: binding.NewString(), failing: map[string]func(){}, now: time.Now,
		run: func(f func()) { go f() }, wait: firstRetry,
		after: func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }}
}

// Report records the outcome of the load called name: an unavailable
// service keeps retry to run again and shows the banner; success clears
// it and runs the other failed loads again. Other errors are the
// screen's own to show; a load called off (calledOff) tells nothing.
func (c *Connection) Report(name string, err error, retry func()) {
	if c == nil || calledOff(err) {
		return
	}
	unavailable := err != nil && (errors.Is(err, client.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded))
	var again []func()
	c.mu.Lock()
	switch {
	case unavailable:
		c.failing[name] = retry
		if c.cancelRetry == nil && !c.stopped {
			c.cancelRetry = c.after(c.wait, c.retryLater)
			c.wait = min(2*c.wait, lastRetry)
		}
	case err == nil:
		if c.cancelRetry != nil {
			c.cancelRetry()
			c.cancelRetry = nil
		}
		c.wait = firstRetry
		for other, f := range c.failing {
			if other != name && f != nil && !c.stopped {
				again = append(again, f)
			}
		}
		c.failing = map[string]func(){}
		c.lastOK = c.now()
	}
	banner := ""
	if len(c.failing) > 0 {
		banner = lang.L("error.unavailable")
		if !c.lastOK.IsZero() {
			banner += " " + lang.L("offline.cached", map[string]any{"Time": c.lastOK.Local().Format("15:04")})
		}
	}
	c.mu.Unlock()
	fyne.DoAndWait(func() { _ = c.Banner.Set(banner) })
	if len(again) > 0 {
		c.run(func() {
			for _, f := range again {
				f()
			}
		})
	}
}

// Stop ends what the connection does on its own: the timed retries, and
// running the failed loads again once the service answers (Retry still
// runs them). The session stops it at Close; a test that runs the
// session's work in place stops it at once, having no goroutine for it.
func (c *Connection) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	if c.cancelRetry != nil {
		c.cancelRetry()
		c.cancelRetry = nil
	}
}

// retryLater is the automatic retry: failing loads arm the next one.
func (c *Connection) retryLater() {
	c.mu.Lock()
	c.cancelRetry = nil
	c.mu.Unlock()
	c.run(c.Retry)
}

// Retry runs the failed loads again (each reports its outcome) until one
// succeeds: that one runs the others (Report).
func (c *Connection) Retry() {
	c.mu.Lock()
	retries := make([]func(), 0, len(c.failing))
	for _, f := range c.failing {
		if f != nil {
			retries = append(retries, f)
		}
	}
	c.mu.Unlock()
	for _, f := range retries {
		f()
		c.mu.Lock()
		back := len(c.failing) == 0
		c.mu.Unlock()
		if back {
			return
		}
	}
}
