package exchange_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/exchange"
)

func TestStartWithoutANetworkSaysSo(t *testing.T) {
	_, err := exchange.Start(context.Background(), exchange.Config{DataDir: t.TempDir(), Logger: quietLog()})
	if err == nil || !strings.Contains(err.Error(), "no OOTS network") {
		t.Fatalf("Start = %v; want an error naming the missing network", err)
	}
}

// The data folder keeps the network's and the ledger's state even when the
// database is elsewhere: Start creates it.
func TestStartCreatesTheDataFolderWhenTheDatabaseIsElsewhere(t *testing.T) {
	tmp := t.TempDir()
	dataDir := filepath.Join(tmp, "not", "yet")
	s := start(t, exchange.Config{DataDir: dataDir, Database: filepath.Join(tmp, "elsewhere.db")})
	if _, err := os.Stat(dataDir); err != nil || s.URL() == "" {
		t.Fatalf("data folder after Start: %v", err)
	}
}
