package demonet_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

func TestEmbeddedSaysPlainlyItIsTheDemo(t *testing.T) {
	var logs bytes.Buffer
	s, err := exchange.Start(context.Background(), exchange.Config{
		DataDir: t.TempDir(), Network: demonet.Embedded{}, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the demo network is running", "not a real OOTS network", `network="demo (embedded)"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the start-up log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestSharedNamesAMissingMemberState(t *testing.T) {
	_, err := exchange.Start(context.Background(), exchange.Config{
		DataDir: t.TempDir(), Network: demonet.Shared{Dir: t.TempDir()}, Logger: slog.New(slog.DiscardHandler),
	})
	if err == nil || !strings.Contains(err.Error(), "no demo member state") {
		t.Fatalf("Start = %v; want an error saying there is no demo member state", err)
	}
}
