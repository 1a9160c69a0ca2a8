//go:build nodemo

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/vienreiz/vienreiz/oots/exchange"
)

// runMemberState refuses: a nodemo build has no demo member state.
func runMemberState(_ context.Context, _ exchange.Config, _ string, _ *slog.Logger, stderr io.Writer) int {
	fmt.Fprintln(stderr, "vienreiz-server: -demo-member-state is not available in this build (nodemo)")
	return 2
}
