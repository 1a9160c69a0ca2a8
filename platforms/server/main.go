// Command server runs the Vienreiz exchange service headless: the same
// code the app embeds, for servers and scale-out (CGO_ENABLED=0).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // TZ=Europe/Riga works on a machine without the zone files

	"github.com/vienreiz/vienreiz/internal/buildinfo"
	"github.com/vienreiz/vienreiz/internal/gcgoal"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/platforms"
	"github.com/vienreiz/vienreiz/platforms/device"
)

const usage = `vienreiz-server runs the Vienreiz exchange service without the app.

Usage:
  vienreiz-server [flags]
  vienreiz-server ledger-verify [-data-dir DIR] [-database URL]
      checks the ledger's hash chains against the signed checkpoints in
      DIR/ledger-checkpoints.jsonl; exit status 1 when it was tampered with
  vienreiz-server as4-verify -trust FILE [-at TIME] MESSAGE
      verifies and describes a saved AS4 message (HTTP dump, MIME file or
      SOAP envelope): references, signer, verdict; exit status 1 when invalid
  vienreiz-server backup [-data-dir DIR] [-evidence-key-file FILE] BACKUP
      copies DIR, while the service runs, into the new folder BACKUP as one
      moment (each SQLite database a snapshot, the ledger's anchor file,
      every evidence document, keys and secrets) and checks the copy
  vienreiz-server backup-check [-evidence-key-file FILE] BACKUP
      checks a backup: databases, the ledger against its anchor file, every
      evidence document's SHA-256; exit status 1 when damaged
  vienreiz-server restore [-data-dir DIR] BACKUP
      checks BACKUP and copies it into DIR, which must be empty or missing;
      stop the service first (docs/backup.md)

Scale-out on one PostgreSQL, sharing one demo member state:
  vienreiz-server -demo-member-state -data-dir /srv/demo \
      -answer-to http://10.0.0.1:8080/as4,http://10.0.0.2:8080/as4
  vienreiz-server -listen 10.0.0.1:8080 -data-dir /srv/a -database postgres://… -member-state /srv/demo
  vienreiz-server -listen 10.0.0.2:8080 -data-dir /srv/b -database postgres://… -member-state /srv/demo

The portal gives times (a handoff code's expiry) in the local time zone:
set TZ, e.g. TZ=Europe/Riga.

Flags (each can also be set by the environment variable shown):
`

func main() {
	gcgoal.Set(gcgoal.Server)
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	device.PrivateFiles()
	if len(args) > 0 && args[0] == "as4-verify" {
		return runAS4Verify(args[1:], os.Stdout, stderr)
	}
	command := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	wanted, known := commandArgs[command]
	if !known {
		fmt.Fprintf(stderr, "vienreiz-server: unknown command %q (see -help)\n", command)
		return 2
	}
	fs := flag.NewFlagSet("vienreiz-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf platforms.ServiceFlags
	sf.Register(fs, "127.0.0.1:8080")
	version := fs.Bool("version", false, "print the version and exit")
	checkNetwork := fs.String("check-network", "", "read the network `FILE`, print what the service would do with it (parties, endpoints, certificates, P-Modes) and exit: 0 when it is usable, 1 naming every bad field")
	memberState := fs.Bool("demo-member-state", false, "run only the demo member state (provider, access points, preview space, EB/DSD) in -data-dir, for service processes started with -member-state")
	answerTo := fs.String("answer-to", os.Getenv("VIENREIZ_ANSWER_TO"), "with -demo-member-state: comma-separated /as4 URLs of the service processes, where answers go, primary first (VIENREIZ_ANSWER_TO)")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch got := fs.NArg(); {
	case got > wanted:
		fmt.Fprintf(stderr, "vienreiz-server: unexpected %q after the flags (see -help)\n", fs.Arg(wanted))
		return 2
	case got < wanted:
		fmt.Fprintf(stderr, "vienreiz-server: %s needs the backup folder after the flags (see -help)\n", command)
		return 2
	}
	if *version {
		fmt.Fprintln(stderr, "vienreiz-server", buildinfo.Version())
		return 0
	}
	if *checkNetwork != "" {
		return checkNetworkFile(*checkNetwork, os.Stdout, stderr)
	}
	log, err := sf.Logger(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: %v\n", err)
		return 2
	}
	cfg, err := sf.Config(log)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch command {
	case "ledger-verify":
		return runLedgerVerify(ctx, cfg, stderr)
	case "backup", "backup-check", "restore":
		return runBackup(ctx, command, cfg, fs.Arg(0), stderr)
	}
	if *memberState {
		return runMemberState(ctx, cfg, *answerTo, log, stderr)
	}
	id, err := sf.Identity(ctx, cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: sign-in: %v\n", err)
		return 1
	}
	defer id.Close(context.Background())
	cfg.Auth, cfg.SignIn, cfg.CompanyMandates = id.Auth, id.Provider, id.CompanyMandates
	srv, err := exchange.Start(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: %v\n", err)
		return 1
	}
	log.Info("sign-in", "issuer", id.Provider.Issuer, "client_id", id.Provider.ClientID, "development_provider", id.Development)
	<-ctx.Done()
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Close(shutdown); err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// runLedgerVerify checks the ledger and says what it found: exit status 0
// when intact, 1 when tampered with or not checkable.
func runLedgerVerify(ctx context.Context, cfg exchange.Config, stderr io.Writer) int {
	n, err := exchange.VerifyLedger(ctx, cfg)
	if errors.Is(err, ledger.ErrTampered) {
		fmt.Fprintf(stderr, "vienreiz-server: ledger TAMPERED (%d entries checked before): %v\n", n, err)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: ledger-verify: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "vienreiz-server: ledger intact: %d entries verified against the checkpoints in %s\n", n, filepath.Join(cfg.DataDir, ledger.AnchorFile))
	return 0
}

// commandArgs are the commands (as4-verify has flags of its own; "" runs
// the service) with how many arguments each takes after its flags.
var commandArgs = map[string]int{"": 0, "ledger-verify": 0, "backup": 1, "backup-check": 1, "restore": 1}
