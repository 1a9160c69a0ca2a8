package app

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/api"
)

// EventsAPI streams the user's request events; *client.Client satisfies it.
type EventsAPI interface {
	Events(ctx context.Context, handle func(api.Event)) error
}

// Message is one inbox entry: something happened to a request that the
// user should know about.
type Message struct {
	RequestID string
	Title     string
	Body      string
	At        time.Time
}

// noteworthy are the events the inbox and OS notifications report.
var noteworthy = map[string]bool{
	"attributes_needed": true, "preview_requested": true, "evidence_delivered": true,
	"provider_error": true, "timed_out": true, "preview_refused": true, "status_posted": true,
	"offered": true,
}

// Inbox is the view model of the inbox (P10): the noteworthy changes of
// the user's requests, newest first, also shown as OS notifications.
type Inbox struct {
	log *slog.Logger
	// Messages holds Message values, newest first.
	Messages binding.UntypedList
	// ServiceNames, when set, names catalogue services by id in the
	// user's language, for offers; unknown ids are left out.
	ServiceNames func(ids []string) []string
	// OnEvent, when set, runs for every event (the session refreshes the
	// requests list with it).
	OnEvent func(api.Event)

	mu     sync.Mutex
	hangUp context.CancelFunc // ends the stream Run follows now
	wake   chan struct{}      // ends Run's pause before reconnecting
}

// NewInbox returns an empty inbox.
func NewInbox(log *slog.Logger) *Inbox {
	return &Inbox{log: log, Messages: binding.NewUntypedList(), wake: make(chan struct{}, 1)}
}

// Reconnect ends the event stream and opens a new one at once: after a
// sign-in or sign-out the stream must be the new person's (or none).
func (in *Inbox) Reconnect() {
	in.mu.Lock()
	if in.hangUp != nil {
		in.hangUp()
	}
	in.mu.Unlock()
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// Run follows the event stream until ctx ends, reconnecting with a
// growing pause when the service is unreachable.
func (in *Inbox) Run(ctx context.Context, events EventsAPI) {
	pause := time.Second
	for ctx.Err() == nil {
		start := time.Now()
		stream, hangUp := context.WithCancel(ctx)
		in.mu.Lock()
		in.hangUp = hangUp
		in.mu.Unlock()
		err := events.Events(stream, in.Take)
		hungUp := stream.Err() != nil
		hangUp()
		if ctx.Err() != nil {
			return
		}
		if hungUp { // Reconnect: a new person, or none
			pause = time.Second
			continue
		}
		if time.Since(start) > time.Minute {
			pause = time.Second
		}
		in.log.Debug("event stream ended; reconnecting", "err", err, "pause", pause)
		select {
		case <-ctx.Done():
			return
		case <-in.wake:
			pause = time.Second
			continue
		case <-time.After(pause):
		}
		pause = min(2*pause, 30*time.Second)
	}
}

// Take handles one event: noteworthy ones become an inbox message and an
// OS notification.
func (in *Inbox) Take(e api.Event) {
	if in.OnEvent != nil {
		in.OnEvent(e)
	}
	if !noteworthy[e.Event] {
		return
	}
	m := Message{RequestID: e.RequestID, Title: lang.L("inbox." + e.Event), Body: lang.L("inbox.body", map[string]any{"State": lang.X("state."+e.State, e.State)}), At: e.At}
	if e.Event == "status_posted" && e.Detail != "" {
		m.Body = e.Detail // the clerk's own words
	}
	if e.Event == "offered" {
		m.Body = in.offer(e.Detail)
	}
	fyne.Do(func() {
		_ = in.Messages.Prepend(m)
		if a := fyne.CurrentApp(); a != nil {
			a.SendNotification(fyne.NewNotification(m.Title, m.Body))
		}
	})
}

// offer is the body of an offer: the services the evidence also serves
// (the event's detail holds their ids), by name when they can be named.
func (in *Inbox) offer(detail string) string {
	ids := strings.Split(detail, ",")
	names := ids
	if in.ServiceNames != nil {
		if n := in.ServiceNames(ids); len(n) > 0 {
			names = n
		}
	}
	return lang.L("inbox.offered_body", map[string]any{"Services": strings.Join(names, "; ")})
}
