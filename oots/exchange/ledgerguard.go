package exchange

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/store"
)

// How often the service checkpoints the ledger's chains into the anchor
// file and verifies the whole ledger against it.
const (
	ledgerCheckpointEvery = time.Minute
	ledgerVerifyEvery     = time.Hour
)

// ledgerGuard checkpoints and verifies the ledger on a schedule, logs what
// it finds and keeps the last result for /v1/health.
type ledgerGuard struct {
	l   *ledger.Ledger
	log *slog.Logger

	mu   sync.Mutex
	last api.LedgerHealth
}

func newLedgerGuard(l *ledger.Ledger, log *slog.Logger) *ledgerGuard {
	return &ledgerGuard{l: l, log: log, last: api.LedgerHealth{Status: api.LedgerUnchecked}}
}

// verify checks the whole ledger against the anchor file, records the
// result and logs it: an error line for tampering.
func (g *ledgerGuard) verify(ctx context.Context) error {
	start := time.Now()
	n, err := g.l.Verify(ctx)
	h := api.LedgerHealth{Status: api.LedgerOK, Entries: n, VerifiedAt: start.UTC()}
	switch {
	case errors.Is(err, ledger.ErrTampered):
		h.Status, h.Problem = api.LedgerTampered, err.Error()
		g.log.Error("ledger: TAMPERING DETECTED", "err", err, "entries_checked", n)
	case err != nil:
		if ctx.Err() != nil {
			return err
		}
		h.Status, h.Problem = api.LedgerUnchecked, err.Error()
		g.log.Warn("ledger: could not verify", "err", err)
	default:
		g.log.Info("ledger verified", "entries", n, "took", time.Since(start).Round(time.Millisecond))
	}
	g.mu.Lock()
	g.last = h
	g.mu.Unlock()
	return err
}

// checkpoint signs the chains that moved into the anchor file.
func (g *ledgerGuard) checkpoint(ctx context.Context) {
	if n, err := g.l.Checkpoint(ctx); err != nil && ctx.Err() == nil {
		g.log.Warn("ledger: checkpoint", "err", err)
	} else if n > 0 {
		g.log.Debug("ledger checkpointed", "chains", n)
	}
}

// run verifies at once, then checkpoints and verifies on their schedules
// until ctx ends, with a last checkpoint on the way out.
func (g *ledgerGuard) run(ctx context.Context, checkpointEvery, verifyEvery time.Duration) {
	_ = g.verify(ctx)
	g.checkpoint(ctx)
	cp, vf := time.NewTicker(checkpointEvery), time.NewTicker(verifyEvery)
	defer cp.Stop()
	defer vf.Stop()
	for {
		select {
		case <-ctx.Done():
			g.checkpoint(context.Background())
			return
		case <-cp.C:
			g.checkpoint(ctx)
		case <-vf.C:
			_ = g.verify(ctx)
		}
	}
}

// health is the last verification's result.
func (g *ledgerGuard) health() api.LedgerHealth {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.last
}

// VerifyLedger checks the ledger of the service configured by cfg (its
// database and the anchor file in its data folder) and returns how many
// entries it checked; errors match ledger.ErrTampered when the ledger was
// tampered with. It is what `vienreiz-server ledger-verify` runs.
func VerifyLedger(ctx context.Context, cfg Config) (int64, error) {
	if cfg.DataDir == "" {
		return 0, errors.New("exchange: ledger-verify needs the data folder (it holds the anchor file)")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	l, err := anchoredLedger(st, cfg.DataDir)
	if err != nil {
		return 0, err
	}
	return l.Verify(ctx)
}

// anchoredLedger is the ledger of st with its anchor file in dir.
func anchoredLedger(st *store.Store, dir string) (*ledger.Ledger, error) {
	a, err := ledger.OpenAnchor(dir)
	if err != nil {
		return nil, err
	}
	l := ledger.New(st.Ledger())
	l.Anchor = a
	return l, nil
}
