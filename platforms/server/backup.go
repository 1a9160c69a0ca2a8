package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/platforms/backup"
)

// runBackup makes, checks or restores a backup of the data folder cfg
// names (command: backup, backup-check, restore) and says what it did:
// exit status 0 when the folder it leaves is usable, 1 otherwise.
func runBackup(ctx context.Context, command string, cfg exchange.Config, folder string, stderr io.Writer) int {
	if command != "backup-check" && cfg.Database != "" && cfg.Database != filepath.Join(cfg.DataDir, exchange.DatabaseFile) {
		fmt.Fprintf(stderr, "vienreiz-server: %s works on a data folder with its SQLite database (-data-dir); with -database back the database up with its own tools (PostgreSQL: pg_dump, after copying the data folder; see docs/backup.md)\n", command)
		return 2
	}
	opt := backup.Options{Progress: stderr, EvidenceKey: cfg.EvidenceKey}
	var (
		r   backup.Report
		err error
	)
	switch command {
	case "backup":
		r, err = backup.Make(ctx, cfg.DataDir, folder, opt)
	case "backup-check":
		r, err = backup.Check(ctx, folder, opt)
	case "restore":
		r, err = backup.Restore(ctx, folder, cfg.DataDir, opt)
	}
	if errors.Is(err, backup.ErrNotEmpty) && command == "restore" {
		err = fmt.Errorf("%w: stop the service and move its data folder aside first", err)
	}
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: %s: %v\n", command, err)
		return 1
	}
	switch command {
	case "backup":
		fmt.Fprintf(stderr, "vienreiz-server: backup made in %s: %d files; ledger intact (%d entries), %d evidence documents intact\n", folder, r.Files, r.LedgerEntries, r.Evidence.Documents)
	case "backup-check":
		fmt.Fprintf(stderr, "vienreiz-server: backup %s is usable: ledger intact (%d entries), %d evidence documents intact\n", folder, r.LedgerEntries, r.Evidence.Documents)
	case "restore":
		fmt.Fprintf(stderr, "vienreiz-server: restored %s into %s: %d files; start the service on it\n", folder, cfg.DataDir, r.Files)
	}
	return 0
}
