package exchange_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/internal/pgtest"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// BenchmarkCatalogueSearch measures a catalogue search through the Go
// client, HTTP and the SQLite store, with GET /v1/health (same client,
// same HTTP, one trivial query) as the baseline measured in the same run:
// the ratio search/health is what the search itself costs.
func BenchmarkCatalogueSearch(b *testing.B) {
	s, err := exchange.Start(context.Background(), exchange.Config{DataDir: b.TempDir(), Logger: quietLog(), Network: demonet.Embedded{}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(context.Background())
	c := client.New(s.URL())
	ctx := context.Background()
	b.Run("baseline-health", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Health(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, q := range map[string]catalogue.Query{
		"all":               {},
		"word":              {Text: "pension"},
		"two-words-country": {Text: "reģistrēt transportlīdzekli", Country: "LV"},
	} {
		b.Run("search-"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.Services(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCreateRequest measures POST /v1/requests (with its EB and DSD
// look-ups against the embedded directory, cached after the first) through
// the Go client, one after the other, on SQLite and, when
// VIENREIZ_TEST_POSTGRES is set, on PostgreSQL, and reports the 99th
// percentile latency. The baseline is GET /v1/health through the same
// client in the same run.
func BenchmarkCreateRequest(b *testing.B) {
	onEachStore(b, func(b *testing.B, s storeUnderLoad) {
		b.Run("baseline-health", func(b *testing.B) {
			for b.Loop() {
				if err := s.health(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("create", func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				if err := s.create(); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	})
}

// BenchmarkCreateRequestAt500PerSecond offers POST /v1/requests at a
// steady 500 requests a second (open loop: each request starts on its
// schedule, whether or not the earlier ones finished, and its latency
// counts from that scheduled start) on SQLite and, when
// VIENREIZ_TEST_POSTGRES is set, PostgreSQL. It reports p50, p99 and
// the slowest latency, and how often and how long requests waited for a
// connection of the store's pool; it logs, second by second, where calls
// took longer than the goal (see offer). Each create is of another
// citizen (a person has one request per evidence under way), over
// benchClients connections in turn. The baseline is GET /v1/health (which
// pings the database) offered the same way in the same run; p99-ratio is
// create's p99 over the baseline's. Sustained load (issue 16: p99 under
// 20 ms for 30 s on both stores):
//
//	go test -run '^$' -bench CreateRequestAt500 -benchtime 15000x ./oots/exchange
func BenchmarkCreateRequestAt500PerSecond(b *testing.B) {
	onEachStore(b, func(b *testing.B, s storeUnderLoad) {
		var baseline time.Duration
		b.Run("baseline-health", func(b *testing.B) { baseline = offer(b, 500, s.health, s.pool) })
		b.Run("create", func(b *testing.B) {
			s.connect(b)
			p99 := offer(b, 500, s.create, s.pool)
			if baseline > 0 {
				b.ReportMetric(float64(p99)/float64(baseline), "p99-ratio")
			}
		})
	})
}

// benchClients is how many clients (each with its connection) the store
// benchmarks' calls come from.
const benchClients = 500

// storeUnderLoad is a running service on one store, as the store
// benchmarks call it: GET /v1/health, POST /v1/requests for the EHIC
// service (each call as a citizen of its own, from the next of
// benchClients clients), and the statistics of the store's connection
// pool. connect has every client open its HTTP connection, so that a run
// measures the service and not the load generator opening 500 connections
// in its first second.
type storeUnderLoad struct {
	health, create func() error
	pool           func() sql.DBStats
	connect        func(b *testing.B)
}

// benchPeople authenticates the store benchmarks' calls: each bearer
// token is a person of its own ("p" and a number).
type benchPeople struct{}

func (benchPeople) Authenticate(r *http.Request) (exchange.Principal, error) {
	n, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer p")
	if !ok {
		return exchange.Principal{}, exchange.ErrUnauthenticated
	}
	p := exchange.DemoCitizen()
	p.Subject = "LV/LV/bench-" + n
	return p, nil
}

// onEachStore starts the service on SQLite and, when
// VIENREIZ_TEST_POSTGRES is set, PostgreSQL, and runs bench as a
// sub-benchmark of each.
func onEachStore(b *testing.B, bench func(b *testing.B, s storeUnderLoad)) {
	cfgs := map[string]exchange.Config{"sqlite": {DataDir: b.TempDir(), Network: demonet.Embedded{}}}
	if dsn := pgtest.Fresh(b); dsn != "" {
		cfgs["postgres"] = exchange.Config{Database: dsn, Network: demonet.Embedded{}}
	}
	for name, cfg := range cfgs {
		b.Run(name, func(b *testing.B) {
			// Many citizens, as in real use: a new one at each call.
			var people atomic.Int64
			person := func() (string, error) { return fmt.Sprintf("p%d", people.Add(1)), nil }
			// The open-loop load holds many connections at once; the
			// benchmark measures the stores, not the connection caps.
			cfg.Logger, cfg.Auth, cfg.Limits = quietLog(), benchPeople{}, exchange.Limits{Conns: 1 << 20, ConnsPerHost: 1 << 20}
			s, err := exchange.Start(context.Background(), cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close(context.Background())
			citizens := make([]*client.Client, benchClients)
			for i := range citizens {
				citizens[i] = client.New(s.URL()).WithTokenFunc(person)
			}
			c := citizens[0]
			ctx := context.Background()
			svc, err := c.Service(ctx, "lv-ehic")
			if err != nil {
				b.Fatal(err)
			}
			in := api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"}
			var (
				next atomic.Int64
				made sync.Map // the ids of the requests made
			)
			bench(b, storeUnderLoad{
				health: func() error { _, err := c.Health(ctx); return err },
				create: func() error {
					r, err := citizens[next.Add(1)%benchClients].CreateRequest(ctx, in)
					if err != nil {
						return err
					}
					if _, again := made.LoadOrStore(r.ID, true); again {
						return fmt.Errorf("request %s answered twice: the benchmark measures no create", r.ID)
					}
					return nil
				},
				pool: func() sql.DBStats { return exchange.PoolStats(s) },
				connect: func(b *testing.B) {
					for _, c := range citizens {
						if _, err := c.Health(ctx); err != nil {
							b.Fatal(err)
						}
					}
				},
			})
		})
	}
}

// slowCall is the latency goal of the load benchmarks (issue 16): the
// seconds in which calls took longer are logged.
const slowCall = 20 * time.Millisecond

// offer starts b.N calls at perSecond, each in its own goroutine, waits
// for all, and reports p50-ms, p99-ms, max-ms, the rate reached and the
// waits for a connection of the store's pool during the run (pool-waits,
// pool-wait-ms in all) and the machine's mean CPU use (cpu-%, all cores,
// every process); it returns p99. It logs the run's start (wall
// clock, to match the database's log) and every second that had a call
// slower than slowCall, with the machine's CPU use, the Go collections and
// the pool waits of that second, so that a tail can be told apart from
// the machine, the collector or the pool.
func offer(b *testing.B, perSecond int, call func() error, pool func() sql.DBStats) time.Duration {
	b.Helper()
	interval := time.Second / time.Duration(perSecond)
	lat := make([]time.Duration, b.N)
	errs := make(chan error, b.N)
	var wg sync.WaitGroup
	before := pool()
	watch := watchSeconds(pool)
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		due := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(due))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := call(); err != nil {
				errs <- err
			}
			lat[i] = time.Since(due)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	seconds := watch()
	after := pool()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	logSlowSeconds(b, start, lat, perSecond, seconds)
	sorted := slices.Clone(lat)
	slices.Sort(sorted)
	p99 := sorted[len(sorted)*99/100]
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(sorted[len(sorted)/2]), "p50-ms")
	b.ReportMetric(ms(p99), "p99-ms")
	b.ReportMetric(ms(sorted[len(sorted)-1]), "max-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(after.WaitCount-before.WaitCount), "pool-waits")
	b.ReportMetric(ms(after.WaitDuration-before.WaitDuration), "pool-wait-ms")
	if busy := meanCPU(seconds); busy >= 0 {
		b.ReportMetric(100*busy, "cpu-%")
	}
	return p99
}

// second is what the machine did in one second of a load run.
type second struct {
	cpu       float64 // share of all cores busy, from /proc/stat (-1: unknown)
	gcs       uint64  // Go collections that ended
	poolWaits int64   // waits for a pooled connection
	poolWait  time.Duration
}

// watchSeconds samples, once a second until the returned function is
// called, the machine's CPU use, the Go collections and the pool waits;
// the function returns one second per sample.
func watchSeconds(pool func() sql.DBStats) func() []second {
	type sample struct {
		busy, total uint64
		gcs         uint64
		pool        sql.DBStats
	}
	take := func() sample {
		s := sample{pool: pool()}
		s.busy, s.total = cpuTicks()
		m := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
		metrics.Read(m)
		s.gcs = m[0].Value.Uint64()
		return s
	}
	stop, done := make(chan struct{}), make(chan []second)
	go func() {
		var out []second
		last := take()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				done <- out
				return
			case <-t.C:
			}
			now := take()
			sec := second{cpu: -1, gcs: now.gcs - last.gcs, poolWaits: now.pool.WaitCount - last.pool.WaitCount, poolWait: now.pool.WaitDuration - last.pool.WaitDuration}
			if now.total > last.total {
				sec.cpu = float64(now.busy-last.busy) / float64(now.total-last.total)
			}
			out, last = append(out, sec), now
		}
	}()
	return func() []second { close(stop); return <-done }
}

// meanCPU is the mean CPU use of the seconds that know it, -1 if none do.
func meanCPU(seconds []second) float64 {
	sum, n := 0.0, 0
	for _, s := range seconds {
		if s.cpu >= 0 {
			sum, n = sum+s.cpu, n+1
		}
	}
	if n == 0 {
		return -1
	}
	return sum / float64(n)
}

// cpuTicks are the busy and total ticks of all cores since boot (0, 0
// where /proc/stat cannot be read).
func cpuTicks() (busy, total uint64) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	for i, f := range fields[1:] {
		n, _ := strconv.ParseUint(f, 10, 64)
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, total
}

// logSlowSeconds logs the run's start and the seconds with the most
// calls slower than slowCall (at most shownSeconds of them, in time order:
// go test keeps ten lines of a benchmark's log), with the slowest call of
// each and what the machine did in that second.
func logSlowSeconds(b *testing.B, start time.Time, lat []time.Duration, perSecond int, seconds []second) {
	const shownSeconds = 8
	type slowSecond struct {
		at, n   int
		slowest time.Duration
	}
	var slow []slowSecond
	for from := 0; from < len(lat); from += perSecond {
		s := slowSecond{at: from / perSecond}
		for _, d := range lat[from:min(from+perSecond, len(lat))] {
			if d > slowCall {
				s.n++
			}
			s.slowest = max(s.slowest, d)
		}
		if s.n > 0 {
			slow = append(slow, s)
		}
	}
	b.Logf("%d calls from %s UTC: %d of %d seconds had calls over %v; the worst:", len(lat), start.UTC().Format("15:04:05.000"), len(slow), (len(lat)+perSecond-1)/perSecond, slowCall)
	slices.SortStableFunc(slow, func(x, y slowSecond) int { return y.n - x.n })
	slow = slow[:min(len(slow), shownSeconds)]
	slices.SortFunc(slow, func(x, y slowSecond) int { return x.at - y.at })
	for _, s := range slow {
		line := fmt.Sprintf("  s%-3d %4d slow, slowest %7.1f ms", s.at, s.n, float64(s.slowest.Microseconds())/1000)
		if s.at < len(seconds) {
			sec := seconds[s.at]
			line += fmt.Sprintf("; CPU %3.0f %%, %d GCs, %d pool waits (%v)", 100*sec.cpu, sec.gcs, sec.poolWaits, sec.poolWait.Round(time.Millisecond))
		}
		b.Log(line)
	}
}

// BenchmarkFullExchange measures one whole demo exchange through the REST
// API with no user think time: create (EB/DSD look-up), explicit request,
// QueryRequest over AS4, preview required, preview opened, approval,
// second QueryRequest, evidence delivered, on SQLite with the embedded
// demo member state on loopback. It waits for each state by polling the
// request every millisecond. The baseline is GET /v1/health in the same
// run.
func BenchmarkFullExchange(b *testing.B) {
	s, err := exchange.Start(context.Background(), exchange.Config{
		Network: demonet.Embedded{},
		DataDir: b.TempDir(), Logger: quietLog(), Auth: exchange.BearerTokens{"t": exchange.DemoCitizen()},
	})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(context.Background())
	c := client.New(s.URL()).WithToken("t")
	ctx := context.Background()
	var health time.Duration
	b.Run("baseline-health", func(b *testing.B) {
		t0 := time.Now()
		for b.Loop() {
			if _, err := c.Health(ctx); err != nil {
				b.Fatal(err)
			}
		}
		health = time.Since(t0) / time.Duration(b.N)
	})
	wait := func(b *testing.B, id, state string) {
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			r, err := c.Request(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			if r.State == state {
				return
			}
		}
		b.Fatalf("request %s did not reach %s", id, state)
	}
	b.Run("exchange", func(b *testing.B) {
		t0 := time.Now()
		for b.Loop() {
			r, err := c.CreateRequest(ctx, api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: birthRequirement, Country: "LV"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.GiveExplicitRequest(ctx, r.ID); err != nil {
				b.Fatal(err)
			}
			wait(b, r.ID, "preview_required")
			if _, err := c.OpenPreview(ctx, r.ID); err != nil {
				b.Fatal(err)
			}
			if _, err := c.DecidePreview(ctx, r.ID, "approve"); err != nil {
				b.Fatal(err)
			}
			wait(b, r.ID, "delivered")
		}
		per := time.Since(t0) / time.Duration(b.N)
		b.ReportMetric(float64(per.Microseconds())/1000, "ms/exchange")
		if health > 0 {
			b.ReportMetric(float64(per)/float64(health), "x-health")
		}
	})
}

// birthRequirement is the demo catalogue's proof of birth, whose provider
// asks for a preview.
const birthRequirement = "https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba"
