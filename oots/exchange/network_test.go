package exchange_test

import (
	"context"
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
