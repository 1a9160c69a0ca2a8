package lifecycle

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// MaxPreviewLocation is the longest PreviewLocation accepted.
const MaxPreviewLocation = 2048

// isErrorCode reports whether c has the shape of the error codes of the
// OOTS code lists (EDMErrorCodes, DSDErrorCodes, EBErrorCodes,
// LCMErrorCodes: PREFIX:ERR:NNNN) or of an ebMS3 error (EBMS:NNNN).
func isErrorCode(c string) bool {
	var digits string
	for _, p := range []string{"EDM:ERR:", "DSD:ERR:", "EB:ERR:", "LCM:ERR:", "EBMS:"} {
		if rest, ok := strings.CutPrefix(c, p); ok {
			digits = rest
			break
		}
	}
	if len(digits) != 4 {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Next returns the state event k leads to from s by the transition table,
// and false when the table forbids it. Some allowed events are further
// checked against the request and the event's fields by Transition.
// TimedOut in a terminal state is allowed and leaves the state as it is.
func Next(s State, k EventKind) (State, bool) {
	if s == Failed && k == Retry {
		return Draft, true
	}
	if s.Terminal() {
		return s, k == TimedOut && s.Valid()
	}
	switch k {
	case Cancel:
		return Cancelled, s.Valid()
	case TimedOut:
		return Expired, s.Valid()
	}
	switch s {
	case Draft:
		switch k {
		case ProviderFound:
			return Ready, true
		case AttributesNeeded:
			return NeedsAttributes, true
		case ProviderError:
			return Failed, true
		}
	case NeedsAttributes:
		switch k {
		case AttributesGiven:
			return Ready, true
		case ProviderError:
			return Failed, true
		}
	case Ready:
		switch k {
		case ProviderFound, ExplicitRequestGiven:
			return Ready, true
		case AttributesNeeded:
			return NeedsAttributes, true
		case QuerySent:
			return Sent, true
		case ProviderError:
			return Failed, true
		}
	case Sent:
		switch k {
		case ResponseDeferred:
			return Sent, true
		case PreviewRequested:
			return PreviewRequired, true
		case EvidenceDelivered:
			return Delivered, true
		case ProviderError:
			return Failed, true
		}
	case PreviewRequired:
		switch k {
		case PreviewApproved, PreviewReturned:
			return Approved, true
		case PreviewRefused:
			return Refused, true
		}
	case Approved:
		switch k {
		case QuerySent:
			return Sent, true
		case PreviewRequested:
			return PreviewRequired, true
		case EvidenceDelivered:
			return Delivered, true
		case ProviderError:
			return Failed, true
		}
	}
	return s, false
}

// Transition applies e to r at time now. It returns the new request and
// the effects the caller must carry out in order, or an error that names
// the state and the event (a *TransitionError, matching ErrForbidden, or
// an ErrBadEvent about the event's fields); on error r is returned
// unchanged and there are no effects. A time-out that no longer matches
// the request's expected-by time, or that arrives after the request
// ended, is stale and changes nothing.
func Transition(r Request, e Event, now time.Time) (Request, []Effect, error) {
	if !r.State.Valid() {
		return r, nil, &TransitionError{State: r.State, Event: e.Kind, Reason: "unknown state"}
	}
	to, ok := Next(r.State, e.Kind)
	if !ok {
		reason := ""
		if !validKind(e.Kind) {
			reason = "unknown event"
		}
		return r, nil, &TransitionError{State: r.State, Event: e.Kind, Reason: reason}
	}
	if e.Kind == TimedOut {
		return timeout(r, e, now)
	}
	if err := checkEvent(r, e, now); err != nil {
		return r, nil, err
	}
	t := r.Timings.withDefaults()
	n := r
	n.State = to
	n.UpdatedAt = now
	var fx []Effect
	schedule := func(d time.Duration) {
		n.ExpectedBy = now.Add(d)
		fx = append(fx, Effect{Kind: ScheduleTimeout, At: n.ExpectedBy})
	}
	finish := func(ledger string, notify bool) {
		n.ExpectedBy = time.Time{}
		fx = append(fx, Effect{Kind: CancelTimeout}, Effect{Kind: RecordLedger, Notice: ledger})
		if notify {
			fx = append(fx, Effect{Kind: NotifyUser, Notice: string(to)})
		}
	}
	switch e.Kind {
	case ProviderFound:
		fx = append(fx, Effect{Kind: NotifyUser, Notice: string(ProviderFound)})
		schedule(t.UserInput)
	case AttributesNeeded:
		fx = append(fx, Effect{Kind: AskAttributes}, Effect{Kind: NotifyUser, Notice: string(AttributesNeeded)})
		schedule(t.UserInput)
	case AttributesGiven:
		fx = append(fx, Effect{Kind: LookUpProvider})
		schedule(t.LookUp)
	case Retry:
		n.ErrorCode = ""
		fx = append(fx, Effect{Kind: LookUpProvider})
		schedule(t.LookUp)
	case ExplicitRequestGiven:
		n.ExplicitRequestAt = now
		n.Sends++
		fx = append(fx, Effect{Kind: RecordLedger, Notice: string(ExplicitRequestGiven)}, Effect{Kind: SendQueryRequest})
		schedule(t.Transport)
	case QuerySent:
		fx = append(fx, Effect{Kind: RecordLedger, Notice: string(QuerySent)})
		schedule(t.Response)
	case ResponseDeferred:
		n.ExpectedBy = e.AvailableAt.Add(t.Response)
		fx = append(fx, Effect{Kind: NotifyUser, Notice: string(ResponseDeferred)}, Effect{Kind: ScheduleTimeout, At: n.ExpectedBy})
	case PreviewRequested:
		n.PreviewLocation = e.PreviewLocation
		fx = append(fx, Effect{Kind: NotifyUser, Notice: string(PreviewRequested)})
		schedule(t.Preview)
	case PreviewApproved, PreviewReturned:
		n.Sends++
		fx = append(fx, Effect{Kind: RecordLedger, Notice: string(e.Kind)},
			Effect{Kind: SendQueryRequest, PreviewLocation: r.PreviewLocation})
		schedule(t.Transport)
	case PreviewRefused:
		finish(string(PreviewRefused), true)
	case EvidenceDelivered:
		n.DecisionBy = addWorkingDays(now, t.ProcessingDays)
		fx = append(fx, Effect{Kind: StoreEvidence})
		finish(string(EvidenceDelivered), true)
	case ProviderError:
		n.ErrorCode = e.Code
		finish(string(ProviderError), true)
	case Cancel:
		finish(string(Cancel), false)
	}
	return n, fx, nil
}

// TimeoutCode is the error a request gets when the provider does not
// answer in time: EDM:ERR:0005, "Exceeding timeout period".
const TimeoutCode = "EDM:ERR:0005"

// timeout handles a TimedOut event Next allowed.
func timeout(r Request, e Event, now time.Time) (Request, []Effect, error) {
	if e.Deadline.IsZero() {
		return r, nil, fmt.Errorf("lifecycle: %s in state %q without a Deadline: %w", e.Kind, r.State, ErrBadEvent)
	}
	if r.State.Terminal() || !e.Deadline.Equal(r.ExpectedBy) {
		return r, nil, nil
	}
	if now.Before(r.ExpectedBy) {
		// Fired early (clock skew between service processes): try again.
		return r, []Effect{{Kind: ScheduleTimeout, At: r.ExpectedBy}}, nil
	}
	n := r
	n.State = Expired
	n.UpdatedAt = now
	n.ExpectedBy = time.Time{}
	if r.State == Sent || r.State == Approved {
		// The provider stayed silent: EDM:ERR:0005 "Exceeding timeout
		// period" of the EDMErrorCodes code list.
		n.ErrorCode = TimeoutCode
	}
	return n, []Effect{{Kind: RecordLedger, Notice: string(TimedOut)}, {Kind: NotifyUser, Notice: string(Expired)}}, nil
}

// checkEvent applies the rules the table alone cannot express.
func checkEvent(r Request, e Event, now time.Time) error {
	forbid := func(reason string) error {
		return &TransitionError{State: r.State, Event: e.Kind, Reason: reason}
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("lifecycle: %s in state %q: %s: %w", e.Kind, r.State, fmt.Sprintf(format, a...), ErrBadEvent)
	}
	switch e.Kind {
	case ProviderFound, AttributesNeeded:
		if r.State == Ready && !r.ExplicitRequestAt.IsZero() {
			return forbid("the explicit request was already given for this provider")
		}
	case Retry:
		if r.Sends > 0 || !r.ExplicitRequestAt.IsZero() {
			return forbid("a QueryRequest was already sent; only a failed look-up may be retried")
		}
	case ExplicitRequestGiven:
		if !r.ExplicitRequestAt.IsZero() {
			return forbid("the explicit request was already given")
		}
	case QuerySent:
		if r.State == Ready && r.ExplicitRequestAt.IsZero() {
			return forbid("no explicit request was given, nothing may be sent")
		}
	case PreviewRequested:
		// The same preview again: the citizen came back from the preview
		// space before deciding, and it still waits. Another one would be
		// a preview loop.
		if r.PreviewLocation != "" && e.PreviewLocation != r.PreviewLocation {
			return forbid("the preview was already asked for once (second request answered with another preview)")
		}
		if err := checkPreviewLocation(e.PreviewLocation); err != nil {
			return bad("PreviewLocation: %v", err)
		}
	case ResponseDeferred:
		if !e.AvailableAt.After(now) {
			return bad("AvailableAt %s is not in the future", e.AvailableAt.Format(time.RFC3339))
		}
		if e.AvailableAt.Sub(now) > MaxDeferral {
			return bad("AvailableAt %s is more than %s away", e.AvailableAt.Format(time.RFC3339), MaxDeferral)
		}
	case ProviderError:
		switch {
		case !isErrorCode(e.Code):
			return bad("Code %q is not an OOTS or ebMS error code", truncate(e.Code))
		case e.Code == "EDM:ERR:0002":
			return bad("Code EDM:ERR:0002 asks for a preview: send %s", PreviewRequested)
		case e.Code == "DSD:ERR:0005":
			return bad("Code DSD:ERR:0005 asks for attributes: send %s", AttributesNeeded)
		}
	}
	return nil
}

// checkPreviewLocation accepts an absolute https URL with a host.
func checkPreviewLocation(s string) error {
	if len(s) > MaxPreviewLocation {
		return fmt.Errorf("longer than %d bytes", MaxPreviewLocation)
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute https URL", truncate(s))
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

func validKind(k EventKind) bool {
	for _, x := range EventKinds() {
		if k == x {
			return true
		}
	}
	return false
}
