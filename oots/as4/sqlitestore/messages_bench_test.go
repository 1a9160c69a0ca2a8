//go:build unix

package sqlitestore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
)

// BenchmarkMessages makes each side's store writes per message as the AS4
// sender and receiver make them, with 8 messages in flight (or
// VIENREIZ_MESSAGES_IN_FLIGHT: few make small groups to commit) and random
// MessageIds, and reports the WAL frames (pages written) per message, the
// file's bytes per message after a checkpoint and the process's CPU time
// per message: the store's share of BenchmarkSustained (oots/as4) without
// its RSA and its noise.
func BenchmarkMessages(b *testing.B) {
	record := []byte(`{"messageId":"` + strings.Repeat("r", 1800) + `"}`)
	for _, side := range []string{"sender", "receiver"} {
		b.Run(side, func(b *testing.B) {
			ctx := context.Background()
			path := filepath.Join(b.TempDir(), "as4.db")
			s, err := Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.db.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
				b.Fatal(err)
			}
			rnd := rand.New(rand.NewPCG(1, 2))
			ids := make([]string, b.N)
			for i := range ids {
				ids[i] = fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x@lv", rnd.Uint32(), rnd.Uint32N(1<<16), rnd.Uint32N(1<<12), rnd.Uint32N(1<<12), rnd.Uint64N(1<<48))
			}
			inFlight := 8
			if n, err := strconv.Atoi(os.Getenv("VIENREIZ_MESSAGES_IN_FLIGHT")); err == nil && n > 0 {
				inFlight = n
			}
			var wg sync.WaitGroup
			var usage0, usage1 syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage0); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for g := range inFlight {
				wg.Go(func() {
					for i := g; i < b.N; i += inFlight {
						var err error
						if side == "sender" {
							if err = s.Add(ctx, as4.OutboxEntry{MessageID: ids[i], Data: record}); err == nil {
								s.QueueFinish(ctx, ids[i], "sent", "receipt-"+ids[i], func(err error) {
									if err != nil {
										b.Error(err)
									}
								})
							}
						} else {
							if _, _, err = s.Claim(ctx, ids[i], time.Minute); err == nil {
								err = s.Complete(ctx, ids[i], []byte("receipt "+ids[i]+" 2026-12-05T12:00:00.123456789Z"))
							}
						}
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			if err := s.flush(ctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage1); err != nil {
				b.Fatal(err)
			}
			cpu := time.Duration(syscall.TimevalToNsec(usage1.Utime) - syscall.TimevalToNsec(usage0.Utime) +
				syscall.TimevalToNsec(usage1.Stime) - syscall.TimevalToNsec(usage0.Stime))
			var busy, frames, done int
			if err := s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &done); err != nil {
				b.Fatal(err)
			}
			if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				b.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(frames)/float64(b.N), "frames/msg")
			b.ReportMetric(float64(fi.Size())/float64(b.N), "B/msg")
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/msg")
		})
	}
}
