package app

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
)

// EventsAPI streams the user's request events; *client.Client satisfies it.
type EventsAPI interface {
	Events(ctx context.Context, handle func(api.Event)) error
}

// InboxAPI is the user's inbox as the exchange service keeps it;
// *client.Client satisfies it.
type InboxAPI interface {
	Inbox(ctx context.Context) (*api.Inbox, error)
	InboxBefore(ctx context.Context, id string) (*api.Inbox, error)
	MarkRead(ctx context.Context, id string) (int, error)
}

// Message is one inbox entry as the inbox screen shows it, in the user's
// language: what happened, to which application and evidence, from whom.
type Message struct {
	ID        string
	RequestID string
	// Title says what happened; About names the service and the evidence;
	// From names the sender; Body is the sender's own words or the
	// request's new state.
	Title string
	About string
	From  string
	Body  string
	At    time.Time
	Read  bool
	// ActionNeeded: the message asks the user to do something (it goes
	// once they have).
	ActionNeeded bool
}

// Inbox is the view model of the inbox (P10): the user's messages as the
// service keeps them (so they survive a restart and read state is the
// same on every device), newest first, with the unread count; new ones
// are also shown as OS notifications.
type Inbox struct {
	api InboxAPI
	log *slog.Logger
	// Messages holds Message values, newest first; Unread counts the
	// unread ones (of all, not only those listed).
	Messages binding.UntypedList
	Unread   binding.Int
	// More is set while older messages than those listed are on the
	// service (LoadOlder lists them).
	More binding.Bool
	// Problem is a translated message when the last reload failed;
	// ProblemCode names its help centre page.
	Problem     binding.String
	ProblemCode binding.String
	// Services, when set, reads the catalogue services the messages name.
	Services *ServiceCache
	// Language gives the user's language code; "en" when nil.
	Language func() string
	// OnEvent, when set, runs for every event (the session refreshes the
	// requests list with it).
	OnEvent func(api.Event)
	// OnResume, when set, is called after the event stream reconnected on
	// its own: events may have gone by unheard while it was down.
	OnResume func()
	// conn hears whether the service answered.
	conn *Connection

	mu    sync.Mutex
	items []api.InboxItem
	// next, when older items than those held are on the service, is
	// where their page starts (api.Inbox.Next).
	next string
	// forWhom names, by request id, whom a request the user made for
	// someone else is for (api.Request.ForName).
	forWhom map[string]string
	seen    map[string]bool // item ids already shown, so only new ones notify
	loaded  bool
	hangUp  context.CancelFunc // ends the stream Run follows now
	wake    chan struct{}      // ends Run's pause before reconnecting
}

// NewInbox returns an empty inbox over a.
func NewInbox(a InboxAPI, log *slog.Logger) *Inbox {
	return &Inbox{api: a, log: log, Messages: binding.NewUntypedList(), Unread: binding.NewInt(), More: binding.NewBool(), Problem: binding.NewString(),
		ProblemCode: binding.NewString(), seen: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// Reconnect ends the event stream and opens a new one at once (which
// reloads the inbox): after a sign-in or sign-out the stream must be the
// new person's (or none).
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

// Forget empties the inbox (after a sign-out: nobody sees the previous
// person's messages); it runs on the UI goroutine.
func (in *Inbox) Forget() {
	in.mu.Lock()
	in.items, in.seen, in.loaded, in.next = nil, map[string]bool{}, false, ""
	in.mu.Unlock()
	_ = in.Messages.Set(nil)
	_ = in.Unread.Set(0)
	_ = in.More.Set(false)
}

// Run follows the event stream until ctx ends, reloading the inbox when
// it (re)connects and after every event, and reconnecting with a growing
// pause when the service is unreachable.
func (in *Inbox) Run(ctx context.Context, events EventsAPI) {
	pause := time.Second
	resumed := false // the stream before this one ended on its own
	for ctx.Err() == nil {
		start := time.Now()
		stream, hangUp := context.WithCancel(ctx)
		in.mu.Lock()
		in.hangUp = hangUp
		in.mu.Unlock()
		_ = in.Refresh(stream) // what came while the stream was down
		if resumed && in.OnResume != nil {
			in.OnResume()
		}
		err := events.Events(stream, in.Take)
		hungUp := stream.Err() != nil
		hangUp()
		if ctx.Err() != nil {
			return
		}
		resumed = !hungUp
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

// Take handles one event of the stream: any change of a request may add
// a message or clear one that is out of date, so the inbox is reloaded;
// a clerk's desk events (api.Event.Desk) add none to the clerk's inbox.
func (in *Inbox) Take(e api.Event) {
	if in.OnEvent != nil {
		in.OnEvent(e)
	}
	if e.Desk {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = in.Refresh(ctx)
}

// Refresh reloads the newest messages from the service, keeping the older
// ones LoadOlder listed; messages that arrived since the last reload are
// also shown as OS notifications.
func (in *Inbox) Refresh(ctx context.Context) error {
	box, err := in.api.Inbox(ctx)
	if calledOff(err) {
		return err // the messages shown stay, with their problem if any
	}
	if _, signedOut := SignInNeeded(err); signedOut {
		in.log.Debug("no inbox while nobody is signed in")
		return err // the screen asks to sign in
	}
	in.conn.Report("inbox", err, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = in.Refresh(ctx)
	})
	p := ProblemOf(err)
	fyne.DoAndWait(func() {
		_ = in.Problem.Set(p.Text)
		_ = in.ProblemCode.Set(p.Code)
	})
	if err != nil {
		in.log.Warn("reading the inbox", "err", err)
		return err // the messages loaded before stay
	}
	in.mu.Lock()
	older := olderThanPage(in.items, box)
	in.items = append(box.Items, older...)
	if len(older) == 0 {
		in.next = box.Next
	}
	var fresh []api.InboxItem
	for _, it := range box.Items {
		if !in.seen[it.ID] && !it.Read && in.loaded {
			fresh = append(fresh, it)
		}
		in.seen[it.ID] = true
	}
	in.loaded = true
	in.mu.Unlock()
	msgs := in.show(ctx, box.Unread)
	for _, m := range msgs {
		for _, it := range fresh {
			if it.ID == m.ID {
				in.notify(m)
			}
		}
	}
	return nil
}

// olderThanPage are the items of held that come after the last of a full
// page of the newest (the older pages LoadOlder listed), in their order.
func olderThanPage(held []api.InboxItem, page *api.Inbox) []api.InboxItem {
	if page.Next == "" || len(page.Items) == 0 {
		return nil // the page holds every item
	}
	last := page.Items[len(page.Items)-1]
	for i, it := range held {
		if it.At.Before(last.At) || it.At.Equal(last.At) && it.ID < last.ID {
			return held[i:]
		}
	}
	return nil
}

// LoadOlder lists the page of messages older than the last one listed,
// after them, when the service has more.
func (in *Inbox) LoadOlder(ctx context.Context) error {
	in.mu.Lock()
	next := in.next
	in.mu.Unlock()
	if next == "" {
		return nil
	}
	box, err := in.api.InboxBefore(ctx, next)
	if err != nil {
		in.log.Warn("reading older messages", "err", err)
		return err
	}
	in.mu.Lock()
	if in.next == next { // else another LoadOlder came first
		in.items = append(in.items, box.Items...)
		in.next = box.Next
		for _, it := range box.Items {
			in.seen[it.ID] = true
		}
	}
	in.mu.Unlock()
	in.show(ctx, box.Unread)
	return nil
}

// SetRequests learns from the user's requests list for whom each was
// made, and shows the messages again when that changed: a message of a
// request made for someone says so.
func (in *Inbox) SetRequests(ctx context.Context, list []api.Request) {
	forWhom := map[string]string{}
	for _, r := range list {
		if r.For != "" {
			forWhom[r.ID] = r.ForName
		}
	}
	in.mu.Lock()
	changed := !maps.Equal(forWhom, in.forWhom)
	in.forWhom = forWhom
	in.mu.Unlock()
	if changed {
		in.Relabel(ctx)
	}
}

// Relabel puts the messages into the current language again.
func (in *Inbox) Relabel(ctx context.Context) {
	unread, _ := in.Unread.Get()
	in.show(ctx, unread)
}

// show publishes the messages of the items held, in the user's language.
func (in *Inbox) show(ctx context.Context, unread int) []Message {
	in.mu.Lock()
	items, more := in.items, in.next != ""
	in.mu.Unlock()
	msgs := make([]Message, len(items))
	values := make([]any, len(items))
	for i, it := range items {
		msgs[i] = in.message(ctx, it)
		values[i] = msgs[i]
	}
	fyne.DoAndWait(func() {
		_ = in.Messages.Set(values)
		_ = in.Unread.Set(unread)
		_ = in.More.Set(more)
	})
	return msgs
}

// MarkRead marks the message read on the service, when it was not yet.
func (in *Inbox) MarkRead(ctx context.Context, m Message) error {
	if m.Read {
		return nil
	}
	return in.mark(ctx, m.ID)
}

// MarkAllRead marks every message read.
func (in *Inbox) MarkAllRead(ctx context.Context) error { return in.mark(ctx, "") }

func (in *Inbox) mark(ctx context.Context, id string) error {
	if _, err := in.api.MarkRead(ctx, id); err != nil {
		in.log.Warn("marking messages read", "err", err)
		return err
	}
	// The older messages listed are not read again: marked here, in a
	// copy (show may be reading the items held).
	in.mu.Lock()
	items := slices.Clone(in.items)
	for i := range items {
		if id == "" || items[i].ID == id {
			items[i].Read = true
		}
	}
	in.items = items
	in.mu.Unlock()
	return in.Refresh(ctx)
}

func (in *Inbox) notify(m Message) {
	fyne.Do(func() {
		if a := fyne.CurrentApp(); a != nil {
			a.SendNotification(fyne.NewNotification(m.Title, m.About))
		}
	})
}

func (in *Inbox) language() string {
	if in.Language == nil {
		return "en"
	}
	return in.Language()
}

// message is how the inbox shows it: what happened, to which service and
// evidence, from whom, in the user's language.
func (in *Inbox) message(ctx context.Context, it api.InboxItem) Message {
	code := in.language()
	state := StateName(shownState(it.State, it.Event == explicitRequestGiven))
	m := Message{
		ID: it.ID, RequestID: it.RequestID, At: it.At, Read: it.Read, ActionNeeded: it.ActionNeeded,
		Title: lang.X("inbox."+it.Event, it.Event),
		Body:  lang.L("inbox.body", map[string]any{"State": state}),
		From:  in.sender(it.From, code),
	}
	var about []string
	svc := in.service(ctx, it.ServiceID)
	if svc != nil {
		about = append(about, svc.Name.In(code))
	}
	if ev := EvidenceName(it.Evidence, NeedOf(svc, it.Requirement), code); ev != "" {
		about = append(about, ev)
	}
	in.mu.Lock()
	name := in.forWhom[it.RequestID]
	in.mu.Unlock()
	if name != "" {
		about = append([]string{lang.L("for_whom", map[string]any{"Name": name})}, about...)
	}
	m.About = strings.Join(about, " · ")
	switch it.Event {
	case api.EventStatusPosted, api.EventApplicationApproved, api.EventApplicationRefused, api.EventEvidenceAsked, api.EventResultAttached:
		if it.Detail != "" {
			m.Body = it.Detail // the clerk's own words
		}
	case api.EventOffered:
		m.Body = in.offer(ctx, it.Detail, code)
	}
	if it.From.Kind == api.SenderRepresentative {
		m.Body = lang.L("inbox.by_representative", map[string]any{"Name": m.From, "State": state})
	}
	return m
}

// sender names who a message is from in language code.
func (in *Inbox) sender(s api.Sender, code string) string {
	if name := catalogue.Text(s.Names).In(code); name != "" {
		return name
	}
	if s.ID != "" {
		return s.ID
	}
	return lang.L("inbox.from_service")
}

// offer is the body of an offer: the services the evidence also serves
// (the item's detail holds their ids), by name where they can be named.
func (in *Inbox) offer(ctx context.Context, detail, code string) string {
	var names []string
	for _, id := range strings.Split(detail, ",") {
		if svc := in.service(ctx, id); svc != nil {
			names = append(names, svc.Name.In(code))
		}
	}
	if len(names) == 0 {
		names = strings.Split(detail, ",")
	}
	return lang.L("inbox.offered_body", map[string]any{"Services": strings.Join(names, "; ")})
}

// service is catalogue service id; nil when it cannot be had.
func (in *Inbox) service(ctx context.Context, id string) *catalogue.Service {
	if id == "" || in.Services == nil {
		return nil
	}
	return in.Services.Get(ctx, id)
}
