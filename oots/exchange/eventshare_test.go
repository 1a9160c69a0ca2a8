package exchange_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/internal/pgtest"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestEventsReachStreamsOnEveryProcess: in a scale-out (several processes
// on one PostgreSQL database, behind one address), a citizen's event
// stream heard only of the changes made by the process it was open on,
// so the answers that came to the other access point never reached the
// app (seen with the scale-out test's streams). Each process now hears
// the others' events. When a process stops hearing them (its listening
// connection was cut: here by pg_terminate_backend), it listens again and
// then ends its streams, whose readers reconnect and read again what they
// missed.
func TestEventsReachStreamsOnEveryProcess(t *testing.T) {
	dsn := pgtest.Fresh(t)
	if dsn == "" {
		t.Skipf("PostgreSQL only: set %s (make test starts one; CI requires it)", pgtest.Env)
	}
	tokens := exchange.BearerTokens{janisToken: people[janisToken]}
	a := start(t, exchange.Config{Database: dsn, Auth: tokens})
	b := start(t, exchange.Config{Database: dsn, Auth: tokens})
	onB := client.New(b.URL()).WithToken(janisToken)
	ctx := context.Background()
	create := func(country string) string {
		t.Helper()
		r, err := onB.CreateRequest(ctx, api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: country})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}

	heard, ended := listenOn(t, a.URL(), janisToken)
	id := create("LV")
	awaitEvent(t, heard, id, "created")

	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vienreiz events' AND datname = current_database()"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	case <-time.After(15 * time.Second):
		t.Fatal("the stream on the process that stopped hearing the others was not ended")
	}

	heard, _ = listenOn(t, a.URL(), janisToken)
	id = create("EE") // another request: the first is under way
	awaitEvent(t, heard, id, "created")
}

// listenOn opens token's event stream at base and returns once the
// service holds it (its head is read: events published from then on reach
// it; a stream still connecting missed the create that followed, seen
// once in CI). It reads the stream until the test ends; ended is closed
// when the service ends it.
func listenOn(t *testing.T, base, token string) (heard <-chan api.Event, ended <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		cancel()
		resp.Body.Close()
		t.Fatalf("GET /v1/events: %s", resp.Status)
	}
	events, done := make(chan api.Event, 64), make(chan struct{})
	go func() {
		defer close(done)
		defer resp.Body.Close()
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			var e api.Event
			if data, ok := strings.CutPrefix(lines.Text(), "data: "); ok && json.Unmarshal([]byte(data), &e) == nil {
				select {
				case events <- e:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return events, done
}

// awaitEvent waits up to 10 s for event of request id on heard.
func awaitEvent(t *testing.T, heard <-chan api.Event, id, event string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e := <-heard:
			if e.RequestID == id && e.Event == event {
				return
			}
		case <-deadline:
			t.Fatalf("no %s event of request %s heard", event, id)
		}
	}
}
