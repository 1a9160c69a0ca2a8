package lifecycle

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// allowed is the transition table written out independently of Next:
// every (state, event) pair not listed here must be refused.
var allowed = map[State]map[EventKind]State{
	Draft:           {ProviderFound: Ready, AttributesNeeded: NeedsAttributes, ProviderError: Failed, TimedOut: Expired, Cancel: Cancelled},
	NeedsAttributes: {AttributesGiven: Ready, ProviderError: Failed, TimedOut: Expired, Cancel: Cancelled},
	Ready: {ProviderFound: Ready, AttributesNeeded: NeedsAttributes, ExplicitRequestGiven: Ready, QuerySent: Sent,
		ProviderError: Failed, TimedOut: Expired, Cancel: Cancelled},
	Sent: {ResponseDeferred: Sent, PreviewRequested: PreviewRequired, EvidenceDelivered: Delivered, ProviderError: Failed,
		TimedOut: Expired, Cancel: Cancelled},
	PreviewRequired: {PreviewApproved: Approved, PreviewReturned: Approved, PreviewRefused: Refused, TimedOut: Expired, Cancel: Cancelled},
	Approved: {QuerySent: Sent, PreviewRequested: PreviewRequired, EvidenceDelivered: Delivered, ProviderError: Failed,
		TimedOut: Expired, Cancel: Cancelled},
	// A time-out arriving after the end is stale: allowed, changes nothing.
	Delivered: {TimedOut: Delivered},
	Refused:   {TimedOut: Refused},
	Failed:    {TimedOut: Failed, Retry: Draft},
	Expired:   {TimedOut: Expired},
	Cancelled: {TimedOut: Cancelled},
}

// fixture returns a request in state s and a well-formed event of kind k
// that passes the event-level checks.
func fixture(s State, k EventKind) (Request, Event) {
	r := Request{ID: "req-1", State: s, ExpectedBy: t0.Add(-time.Minute)}
	if s == Sent || s == Approved || s == PreviewRequired {
		r.ExplicitRequestAt = t0.Add(-time.Hour)
	}
	if s == Approved {
		r.PreviewLocation = "https://preview.example.ee/p/1"
	}
	if s == Ready && k == QuerySent {
		r.ExplicitRequestAt = t0.Add(-time.Hour)
	}
	if s == PreviewRequired {
		r.PreviewLocation = "https://preview.example.ee/p/1"
	}
	if s.Terminal() {
		r.ExpectedBy = time.Time{}
	}
	e := Event{Kind: k}
	switch k {
	case PreviewRequested:
		e.PreviewLocation = "https://preview.example.ee/p/1"
	case ProviderError:
		e.Code = "EDM:ERR:0004"
	case ResponseDeferred:
		e.AvailableAt = t0.Add(48 * time.Hour)
	case TimedOut:
		e.Deadline = r.ExpectedBy
		if s.Terminal() {
			e.Deadline = t0.Add(-time.Minute)
		}
	}
	return r, e
}

func TestEveryStateEventPairAgainstTable(t *testing.T) {
	pairs := 0
	for _, s := range States() {
		for _, k := range EventKinds() {
			pairs++
			r, e := fixture(s, k)
			want, ok := allowed[s][k]
			got, fx, err := Transition(r, e, t0)
			if !ok {
				var te *TransitionError
				if !errors.As(err, &te) || !errors.Is(err, ErrForbidden) {
					t.Errorf("%s + %s: error = %v, want a *TransitionError", s, k, err)
					continue
				}
				if te.State != s || te.Event != k || !strings.Contains(err.Error(), string(s)) || !strings.Contains(err.Error(), string(k)) {
					t.Errorf("%s + %s: error %q does not name state and event", s, k, err)
				}
				if got != r || fx != nil {
					t.Errorf("%s + %s: refused transition changed the request or asked for effects", s, k)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s + %s: %v, want → %s", s, k, err, want)
				continue
			}
			if got.State != want {
				t.Errorf("%s + %s → %s, want %s", s, k, got.State, want)
			}
			if next, ok := Next(s, k); !ok || next != want {
				t.Errorf("Next(%s, %s) = %s, %v; want %s", s, k, next, ok, want)
			}
			if got.State.Terminal() != got.ExpectedBy.IsZero() {
				t.Errorf("%s + %s → %s with ExpectedBy %v: open states need one, terminal states none", s, k, got.State, got.ExpectedBy)
			}
			if !s.Terminal() && got.State.Terminal() && !hasEffect(fx, RecordLedger) {
				t.Errorf("%s + %s ended the request without a ledger entry", s, k)
			}
			if !got.State.Terminal() && got.State != s && !hasEffect(fx, ScheduleTimeout) {
				t.Errorf("%s + %s → %s schedules no time-out", s, k, got.State)
			}
		}
	}
	if pairs != len(States())*len(EventKinds()) || pairs != 11*15 {
		t.Fatalf("checked %d pairs", pairs)
	}
}

func hasEffect(fx []Effect, k EffectKind) bool {
	for _, f := range fx {
		if f.Kind == k {
			return true
		}
	}
	return false
}

func kinds(fx []Effect) string {
	var b []string
	for _, f := range fx {
		s := string(f.Kind)
		if !f.At.IsZero() {
			s += "@" + f.At.Format("01-02T15:04")
		}
		if f.PreviewLocation != "" {
			s += "(" + f.PreviewLocation + ")"
		}
		if f.Notice != "" {
			s += "[" + f.Notice + "]"
		}
		b = append(b, s)
	}
	return strings.Join(b, " ")
}

func TestMainFlowWithPreviewEffectsAndExpectedBy(t *testing.T) {
	tm := Timings{ProcessingDays: 3}
	r, fx := New("req-7", tm, t0)
	if r.State != Draft || kinds(fx) != "look_up_provider schedule_timeout@11-25T10:02" {
		t.Fatalf("New: %s %s", r.State, kinds(fx))
	}
	at := t0
	steps := []struct {
		e       Event
		after   time.Duration
		state   State
		effects string
	}{
		{Event{Kind: AttributesNeeded}, time.Minute, NeedsAttributes, "ask_attributes notify_user[attributes_needed] schedule_timeout@12-25T10:01"},
		{Event{Kind: AttributesGiven}, time.Hour, Ready, "look_up_provider schedule_timeout@11-25T11:03"},
		{Event{Kind: ProviderFound}, time.Minute, Ready, "notify_user[provider_found] schedule_timeout@12-25T11:02"},
		{Event{Kind: ExplicitRequestGiven}, time.Minute, Ready, "record_ledger[explicit_request_given] send_query_request schedule_timeout@11-25T11:15"},
		{Event{Kind: QuerySent}, time.Minute, Sent, "record_ledger[query_sent] schedule_timeout@11-26T11:04"},
		{Event{Kind: PreviewRequested, PreviewLocation: "https://p.example.ee/x?id=1"}, time.Minute, PreviewRequired,
			"notify_user[preview_requested] schedule_timeout@11-26T11:05"},
		{Event{Kind: PreviewApproved}, time.Hour, Approved,
			"record_ledger[preview_approved] send_query_request(https://p.example.ee/x?id=1) schedule_timeout@11-25T12:17"},
		{Event{Kind: QuerySent}, time.Minute, Sent, "record_ledger[query_sent] schedule_timeout@11-26T12:06"},
		{Event{Kind: ResponseDeferred, AvailableAt: t0.Add(50 * time.Hour)}, time.Minute, Sent,
			"notify_user[response_deferred] schedule_timeout@11-28T12:00"},
		{Event{Kind: EvidenceDelivered}, time.Minute, Delivered,
			"store_evidence cancel_timeout record_ledger[evidence_delivered] notify_user[delivered]"},
	}
	for i, st := range steps {
		at = at.Add(st.after)
		n, fx, err := Transition(r, st.e, at)
		if err != nil {
			t.Fatalf("step %d %s: %v", i, st.e.Kind, err)
		}
		if n.State != st.state || kinds(fx) != st.effects {
			t.Fatalf("step %d %s: → %s %q, want %s %q", i, st.e.Kind, n.State, kinds(fx), st.state, st.effects)
		}
		r = n
	}
	if r.Sends != 2 || r.ExplicitRequestAt.IsZero() || r.PreviewLocation == "" {
		t.Fatalf("request after flow: %+v", r)
	}
	// Delivered on Wednesday 25 Nov 2026 + 3 working days = Monday 30 Nov.
	if want := time.Date(2026, 11, 30, 12, 8, 0, 0, time.UTC); !r.DecisionBy.Equal(want) {
		t.Fatalf("DecisionBy = %v, want %v", r.DecisionBy, want)
	}
}

func TestGuardsBeyondTheTable(t *testing.T) {
	given := t0.Add(-time.Hour)
	tests := []struct {
		name string
		r    Request
		e    Event
	}{
		{"sending before the explicit request", Request{State: Ready}, Event{Kind: QuerySent}},
		{"explicit request given twice", Request{State: Ready, ExplicitRequestAt: given}, Event{Kind: ExplicitRequestGiven}},
		{"provider changed after the explicit request", Request{State: Ready, ExplicitRequestAt: given}, Event{Kind: ProviderFound}},
		{"attributes asked after the explicit request", Request{State: Ready, ExplicitRequestAt: given}, Event{Kind: AttributesNeeded}},
		{"second preview after approval (preview loop)", Request{State: Sent, PreviewLocation: "https://p.example.ee/1"},
			Event{Kind: PreviewRequested, PreviewLocation: "https://p.example.ee/2"}},
		{"unknown event kind", Request{State: Sent}, Event{Kind: "teleport"}},
		{"unknown state", Request{State: "limbo"}, Event{Kind: Cancel}},
		{"empty state", Request{}, Event{Kind: Cancel}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fx, err := Transition(tc.r, tc.e, t0)
			if !errors.Is(err, ErrForbidden) {
				t.Fatalf("error = %v, want ErrForbidden", err)
			}
			if got != tc.r || fx != nil {
				t.Fatal("refused event changed the request")
			}
		})
	}
}

func TestHostileEventFieldsAreRefused(t *testing.T) {
	long := "https://p.example.ee/" + strings.Repeat("a", MaxPreviewLocation)
	tests := []struct {
		name, want string
		r          Request
		e          Event
	}{
		{"preview location with javascript scheme", "PreviewLocation", Request{State: Sent}, Event{Kind: PreviewRequested, PreviewLocation: "javascript:alert(1)"}},
		{"preview location over plain http", "PreviewLocation", Request{State: Sent}, Event{Kind: PreviewRequested, PreviewLocation: "http://p.example.ee/1"}},
		{"relative preview location", "PreviewLocation", Request{State: Sent}, Event{Kind: PreviewRequested, PreviewLocation: "/preview/1"}},
		{"empty preview location", "PreviewLocation", Request{State: Sent}, Event{Kind: PreviewRequested}},
		{"oversize preview location", "PreviewLocation", Request{State: Sent}, Event{Kind: PreviewRequested, PreviewLocation: long}},
		{"unparsable preview location", "PreviewLocation", Request{State: Sent}, Event{Kind: PreviewRequested, PreviewLocation: "https://[::1"}},
		{"error code missing", "Code", Request{State: Sent}, Event{Kind: ProviderError}},
		{"error code with injected text", "Code", Request{State: Sent}, Event{Kind: ProviderError, Code: "EDM:ERR:0004\n<script>"}},
		{"error code of wrong shape", "Code", Request{State: Sent}, Event{Kind: ProviderError, Code: "EDM:ERR:4"}},
		{"preview code sent as plain error", "EDM:ERR:0002", Request{State: Sent}, Event{Kind: ProviderError, Code: "EDM:ERR:0002"}},
		{"attributes code sent as plain error", "DSD:ERR:0005", Request{State: Draft}, Event{Kind: ProviderError, Code: "DSD:ERR:0005"}},
		{"deferral into the past", "AvailableAt", Request{State: Sent}, Event{Kind: ResponseDeferred, AvailableAt: t0.Add(-time.Second)}},
		{"deferral without a time", "AvailableAt", Request{State: Sent}, Event{Kind: ResponseDeferred}},
		{"deferral beyond the cap", "AvailableAt", Request{State: Sent}, Event{Kind: ResponseDeferred, AvailableAt: t0.Add(MaxDeferral + time.Hour)}},
		{"time-out without deadline", "Deadline", Request{State: Sent, ExpectedBy: t0}, Event{Kind: TimedOut}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fx, err := Transition(tc.r, tc.e, t0)
			if !errors.Is(err, ErrBadEvent) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want ErrBadEvent naming %s", err, tc.want)
			}
			if got != tc.r || fx != nil {
				t.Fatal("refused event changed the request")
			}
		})
	}
	for _, code := range []string{"EDM:ERR:0005", "DSD:ERR:0001", "EB:ERR:0001", "LCM:ERR:0002", "EBMS:0004"} {
		if _, _, err := Transition(Request{State: Sent}, Event{Kind: ProviderError, Code: code}, t0); err != nil {
			t.Errorf("code %s refused: %v", code, err)
		}
	}
}

func TestTimeouts(t *testing.T) {
	due := t0
	sent := Request{State: Sent, ExpectedBy: due}
	tests := []struct {
		name    string
		r       Request
		e       Event
		now     time.Time
		state   State
		effects string
	}{
		{"due time-out expires the step", sent, Event{Kind: TimedOut, Deadline: due}, due, Expired, "record_ledger[timed_out] notify_user[expired]"},
		{"late time-out expires the step", sent, Event{Kind: TimedOut, Deadline: due}, due.Add(time.Hour), Expired, "record_ledger[timed_out] notify_user[expired]"},
		{"stale time-out of an earlier step", sent, Event{Kind: TimedOut, Deadline: due.Add(-time.Hour)}, due, Sent, ""},
		{"early time-out is rescheduled", sent, Event{Kind: TimedOut, Deadline: due}, due.Add(-time.Second), Sent, "schedule_timeout@11-25T10:00"},
		{"time-out after delivery", Request{State: Delivered}, Event{Kind: TimedOut, Deadline: due}, due, Delivered, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fx, err := Transition(tc.r, tc.e, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != tc.state || kinds(fx) != tc.effects {
				t.Fatalf("→ %s %q, want %s %q", got.State, kinds(fx), tc.state, tc.effects)
			}
			if tc.state == Expired && !got.ExpectedBy.IsZero() {
				t.Fatal("expired request still has an expected-by time")
			}
		})
	}
}

func TestTimingsDefaultsAndOverrides(t *testing.T) {
	d := Defaults()
	if d.Transport != 12*time.Minute {
		t.Fatalf("transport bound %v, want the P-Mode's 12 minutes", d.Transport)
	}
	r, _ := New("a", Timings{LookUp: 5 * time.Second}, t0)
	if !r.ExpectedBy.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("override ignored: %v", r.ExpectedBy)
	}
	r, _ = New("b", Timings{}, t0)
	if !r.ExpectedBy.Equal(t0.Add(d.LookUp)) {
		t.Fatalf("default ignored: %v", r.ExpectedBy)
	}
	// Friday + 1 working day = Monday.
	fri := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	if got := addWorkingDays(fri, 1); got.Weekday() != time.Monday {
		t.Fatalf("Friday + 1 working day = %v", got.Weekday())
	}
}

func TestLedgerNoticesAreValidLedgerActions(t *testing.T) {
	for _, s := range States() {
		for _, k := range EventKinds() {
			r, e := fixture(s, k)
			_, fx, err := Transition(r, e, t0)
			if err != nil {
				continue
			}
			for _, f := range fx {
				if f.Kind != RecordLedger {
					continue
				}
				rec := ledger.Record{Actor: "service", OnBehalfOf: "lv:citizen:1", Action: f.Notice}
				if err := rec.Validate(); err != nil {
					t.Errorf("%s + %s: ledger notice %q: %v", s, k, f.Notice, err)
				}
			}
		}
	}
}

// A request whose look-up failed goes back to the look-up on Retry, with
// its error cleared and a new look-up time-out; once a QueryRequest was
// sent it may not.
func TestRetryAfterFailedLookUp(t *testing.T) {
	r, _ := New("req-1", Timings{}, t0)
	r, _, err := Transition(r, Event{Kind: ProviderError, Code: "DSD:ERR:0006"}, t0)
	if err != nil || r.State != Failed {
		t.Fatalf("look-up failure: %v, %s", err, r.State)
	}
	now := t0.Add(time.Hour)
	got, fx, err := Transition(r, Event{Kind: Retry}, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != Draft || got.ErrorCode != "" || !got.ExpectedBy.Equal(now.Add(Defaults().LookUp)) {
		t.Fatalf("retry → %+v", got)
	}
	if !hasEffect(fx, LookUpProvider) || !hasEffect(fx, ScheduleTimeout) {
		t.Fatalf("retry effects %v", fx)
	}
	sent := Request{ID: "req-2", State: Failed, ErrorCode: "EDM:ERR:0004", Sends: 1, ExplicitRequestAt: t0}
	if _, _, err := Transition(sent, Event{Kind: Retry}, now); !errors.Is(err, ErrForbidden) {
		t.Fatalf("retry after a send: %v, want forbidden", err)
	}
	for _, s := range []State{Draft, Ready, Delivered, Expired, Cancelled, Refused} {
		if _, _, err := Transition(Request{State: s}, Event{Kind: Retry}, now); !errors.Is(err, ErrForbidden) {
			t.Errorf("retry in %s: %v, want forbidden", s, err)
		}
	}
}

// TestPreviewReturnedSendsTheSecondRequest: the citizen coming back from
// the provider's preview space (the browser flow, where the provider
// learns the decision) sends the second QueryRequest with the
// PreviewLocation, as an approval in our own view does, and the ledger
// says the citizen returned, not that they approved.
func TestPreviewReturnedSendsTheSecondRequest(t *testing.T) {
	r := Request{ID: "req-1", State: PreviewRequired, ExplicitRequestAt: t0.Add(-time.Hour), Sends: 1,
		PreviewLocation: "https://p.example.ee/x?id=1", ExpectedBy: t0.Add(time.Hour)}
	n, fx, err := Transition(r, Event{Kind: PreviewReturned}, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := "record_ledger[preview_returned] send_query_request(https://p.example.ee/x?id=1) schedule_timeout@11-25T10:12"
	if n.State != Approved || n.Sends != 2 || kinds(fx) != want {
		t.Fatalf("→ %s sends %d %q, want approved sends 2 %q", n.State, n.Sends, kinds(fx), want)
	}
}

// TestTheSamePreviewStillWaits: the citizen came back from the preview
// space before deciding, so the provider answers the second request with
// the same preview again; the request waits for the preview once more
// (instead of hanging until its time-out) and coming back again sends a
// third request. Another preview location stays refused (a preview loop).
func TestTheSamePreviewStillWaits(t *testing.T) {
	loc := "https://p.example.ee/x?id=1"
	r := Request{ID: "req-1", State: Sent, ExplicitRequestAt: t0.Add(-time.Hour), Sends: 2, PreviewLocation: loc, ExpectedBy: t0.Add(time.Hour)}
	for _, from := range []State{Sent, Approved} {
		r.State = from
		n, fx, err := Transition(r, Event{Kind: PreviewRequested, PreviewLocation: loc}, t0)
		if err != nil || n.State != PreviewRequired || kinds(fx) != "notify_user[preview_requested] schedule_timeout@11-26T10:00" {
			t.Fatalf("%s + the same preview: %s %q %v; want preview_required, the citizen told", from, n.State, kinds(fx), err)
		}
		n, fx, err = Transition(n, Event{Kind: PreviewReturned}, t0)
		if err != nil || n.Sends != 3 || !strings.Contains(kinds(fx), "send_query_request("+loc+")") {
			t.Fatalf("back again: sends %d %q %v; want a third request with the PreviewLocation", n.Sends, kinds(fx), err)
		}
	}
}
