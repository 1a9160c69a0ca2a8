//go:build !nodemo

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/network"
	"github.com/vienreiz/vienreiz/oots/requester/demonode"
)

// runMemberState runs the demo member state alone until ctx ends:
// configured by the network file when cfg has one, else the demo's own.
func runMemberState(ctx context.Context, cfg exchange.Config, answerTo string, log *slog.Logger, stderr io.Writer) int {
	dir := cfg.DataDir
	if n, ok := cfg.Network.(*network.Network); ok {
		return runFileMemberState(ctx, n, dir, log, stderr)
	}
	var endpoints []string
	for _, e := range strings.Split(answerTo, ",") {
		if e = strings.TrimSpace(e); e != "" {
			endpoints = append(endpoints, e)
		}
	}
	if dir == "" || len(endpoints) == 0 {
		fmt.Fprintln(stderr, "vienreiz-server: -demo-member-state needs -data-dir and -answer-to")
		return 2
	}
	ms, err := demonode.StartMemberState(ctx, demonode.MemberStateOptions{Dir: dir, RequesterEndpoints: endpoints, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: %v\n", err)
		return 1
	}
	log.Info("demo member state listening", "folder", dir, "directory", ms.Info.DirectoryURL,
		"access_points", strings.Join(ms.Info.ProviderEndpoints, " "), "answers_to", strings.Join(endpoints, " "))
	<-ctx.Done()
	log.Info("shutting down")
	if err := ms.Close(); err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// runFileMemberState runs the demo evidence behind the party, keys and
// addresses of network file n until ctx ends.
func runFileMemberState(ctx context.Context, n *network.Network, dir string, log *slog.Logger, stderr io.Writer) int {
	if dir == "" {
		fmt.Fprintln(stderr, "vienreiz-server: -demo-member-state needs -data-dir")
		return 2
	}
	ms, err := demonet.StartMemberState(ctx, n, dir, log)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: %v\n", err)
		return 1
	}
	log.Info("demo member state listening", "folder", dir, "network", n.Path, "party", n.PModes.Self)
	<-ctx.Done()
	log.Info("shutting down")
	if err := ms.Close(); err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: shutdown: %v\n", err)
		return 1
	}
	return 0
}
