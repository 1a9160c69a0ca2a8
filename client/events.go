package client

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// maxEventLine bounds one line of the event stream.
const maxEventLine = 64 << 10

// StreamSilence is how long the event stream may say nothing before it is
// taken for dead: the service writes a heartbeat every 15 s, and a stream
// whose network went away without a word (a phone changing networks, a
// router dropping the connection, a service that hangs) would otherwise
// be waited on for ever, its events lost.
var StreamSilence = 45 * time.Second

// Events reads the caller's request events (server-sent events of GET
// /v1/events) and calls handle for each, until ctx ends or the stream
// closes or says nothing for StreamSilence (an error wrapping
// ErrUnavailable); it returns why it stopped. Callers reconnect as they
// see fit.
func (c *Client) Events(ctx context.Context, handle func(api.Event)) error {
	outer := ctx
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	silent := fmt.Errorf("%w: GET /v1/events: nothing heard for %v", ErrUnavailable, StreamSilence)
	watchdog := time.AfterFunc(StreamSilence, func() { cancel(silent) })
	defer watchdog.Stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+"/v1/events", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	auth, err := c.authorization()
	if err != nil {
		return err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if errors.Is(context.Cause(ctx), silent) {
			return silent
		}
		return unreached(outer, "GET /v1/events", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &APIError{Status: resp.StatusCode, Code: "http_" + resp.Status, Message: resp.Status}
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 4096), maxEventLine)
	var name, data string
	for sc.Scan() {
		watchdog.Reset(StreamSilence)
		line := sc.Text()
		switch {
		case line == "":
			if name == "request" && data != "" {
				var e api.Event
				if err := json.Unmarshal([]byte(data), &e); err == nil {
					handle(e)
				}
			}
			name, data = "", ""
		case strings.HasPrefix(line, "event:"):
			name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data += strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		}
	}
	if errors.Is(context.Cause(ctx), silent) {
		return silent
	}
	if err := sc.Err(); err != nil && outer.Err() == nil {
		return fmt.Errorf("event stream: %w", err)
	}
	return outer.Err()
}
