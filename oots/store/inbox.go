package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// InboxItem is one message of a person's inbox: a step of one of their
// requests they should hear of, who it is from and whether it was read.
type InboxItem struct {
	ID          string
	Owner       string
	RequestID   string
	ServiceID   string
	Requirement string
	// Evidence names the evidence requested, by language code.
	Evidence map[string]string
	Event    string
	State    string
	Detail   string
	// SenderKind says who the message is from (the provider, the
	// institution of the service, the exchange service); SenderID and
	// SenderNames (by language code) name it where known.
	SenderKind  string
	SenderID    string
	SenderNames map[string]string
	// Awaits is the request state in which the item asks the person to
	// act, "" for news; the item goes when the request leaves that state.
	Awaits string
	At     time.Time
	// ReadAt is zero while the item is unread.
	ReadAt time.Time
}

// addInbox stores the inbox items of a change and removes the items of
// request id that await a state the request has now left.
func (s *Store) addInbox(ctx context.Context, tx execer, id, state string, items []InboxItem) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM inbox WHERE request_id = ? AND awaits <> '' AND awaits <> ?`), id, state); err != nil {
		return fmt.Errorf("store: clearing the inbox of %s: %w", id, err)
	}
	for _, it := range items {
		evidence, err := json.Marshal(nonNil(it.Evidence))
		if err != nil {
			return err
		}
		names, err := json.Marshal(nonNil(it.SenderNames))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO inbox (id, owner, request_id, service_id, requirement, evidence, event, state, detail, sender_kind, sender_id, sender_names, awaits, at, read_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			it.ID, it.Owner, it.RequestID, it.ServiceID, it.Requirement, string(evidence), it.Event, it.State, it.Detail,
			it.SenderKind, it.SenderID, string(names), it.Awaits, formatTime(it.At), formatTime(it.ReadAt)); err != nil {
			return fmt.Errorf("store: inbox item of %s: %w", id, err)
		}
	}
	return nil
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// InboxPage is a page of a person's inbox.
type InboxPage struct {
	// Items are newest first, at most InboxPageSize.
	Items []InboxItem
	// Unread counts the unread items of all, not only of the page.
	Unread int
	// Next, when older items follow, is where the next page starts: the
	// before of the next call.
	Next string
}

// ErrBadCursor: a page was asked for from a cursor the store did not give.
var ErrBadCursor = errors.New("not a place in the inbox")

// inboxCursor is where a page after item (at, id) starts: opaque to the
// caller, and still good when that item is gone (answered, it leaves).
func inboxCursor(at, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at + " " + id))
}

// parseInboxCursor is the (at, id) of a cursor.
func parseInboxCursor(c string) (at, id string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", ErrBadCursor
	}
	at, id, ok := strings.Cut(string(b), " ")
	if _, perr := parseTime(at); !ok || perr != nil || id == "" {
		return "", "", ErrBadCursor
	}
	return at, id, nil
}

// InboxPageSize bounds the items of one page of an inbox.
const InboxPageSize = 200

// Inbox returns a page of owner's inbox, newest first: the newest items
// when before is "", else those after the cursor before (the Next of the
// page before; ErrBadCursor for another string).
func (s *Store) Inbox(ctx context.Context, owner, before string) (InboxPage, error) {
	var page InboxPage
	var err error
	if page.Unread, err = s.InboxUnread(ctx, owner); err != nil {
		return page, err
	}
	query, args := `WHERE owner = ?`, []any{owner}
	if before != "" {
		at, id, err := parseInboxCursor(before)
		if err != nil {
			return page, err
		}
		query, args = `WHERE owner = ? AND (at < ? OR (at = ? AND id < ?))`, append(args, at, at, id)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, owner, request_id, service_id, requirement, evidence, event, state, detail, sender_kind, sender_id, sender_names, awaits, at, read_at
		FROM inbox `+query+` ORDER BY at DESC, id DESC LIMIT ?`), append(args, InboxPageSize+1)...)
	if err != nil {
		return page, fmt.Errorf("store: listing the inbox: %w", err)
	}
	defer rows.Close()
	page.Items = []InboxItem{}
	for rows.Next() {
		if len(page.Items) == InboxPageSize {
			last := page.Items[len(page.Items)-1]
			page.Next = inboxCursor(formatTime(last.At), last.ID)
			break
		}
		var (
			it                        InboxItem
			evidence, names, at, read string
		)
		if err := rows.Scan(&it.ID, &it.Owner, &it.RequestID, &it.ServiceID, &it.Requirement, &evidence, &it.Event, &it.State, &it.Detail,
			&it.SenderKind, &it.SenderID, &names, &it.Awaits, &at, &read); err != nil {
			return page, fmt.Errorf("store: listing the inbox: %w", err)
		}
		var e1, e2, e3, e4 error
		e1 = json.Unmarshal([]byte(evidence), &it.Evidence)
		e2 = json.Unmarshal([]byte(names), &it.SenderNames)
		it.At, e3 = parseTime(at)
		it.ReadAt, e4 = parseTime(read)
		if err := errors.Join(e1, e2, e3, e4); err != nil {
			return page, fmt.Errorf("store: inbox item %s: %w", it.ID, err)
		}
		page.Items = append(page.Items, it)
	}
	return page, rows.Err()
}

// InboxUnread counts owner's unread inbox items.
func (s *Store) InboxUnread(ctx context.Context, owner string) (int, error) {
	var unread int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT count(*) FROM inbox WHERE owner = ? AND read_at = ''`), owner).Scan(&unread); err != nil {
		return 0, fmt.Errorf("store: counting unread messages: %w", err)
	}
	return unread, nil
}

// MarkInboxRead marks owner's item id read at the given time (an item
// already read keeps its first time); another person's or an unknown id
// is ErrNotFound.
func (s *Store) MarkInboxRead(ctx context.Context, owner, id string, at time.Time) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE inbox SET read_at = CASE WHEN read_at = '' THEN ? ELSE read_at END WHERE owner = ? AND id = ?`), formatTime(at), owner, id)
	if err != nil {
		return fmt.Errorf("store: marking a message read: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: marking a message read: %w", err)
	} else if n == 0 {
		return fmt.Errorf("message %s: %w", id, ErrNotFound)
	}
	return nil
}

// MarkAllInboxRead marks every unread item of owner read and returns how
// many there were.
func (s *Store) MarkAllInboxRead(ctx context.Context, owner string, at time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE inbox SET read_at = ? WHERE owner = ? AND read_at = ''`), formatTime(at), owner)
	if err != nil {
		return 0, fmt.Errorf("store: marking messages read: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: marking messages read: %w", err)
	}
	return int(n), nil
}
