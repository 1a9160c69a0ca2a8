package main

import (
	"fmt"
	"io"

	"github.com/vienreiz/vienreiz/oots/network"
)

// checkNetworkFile loads the network file at path and prints its plan to
// stdout: exit 0 when usable, 1 with every bad field on stderr.
func checkNetworkFile(path string, stdout, stderr io.Writer) int {
	n, err := network.Load(path, network.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: %v\n", err)
		return 1
	}
	if err := n.Describe(stdout); err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "The network file is usable.")
	return 0
}
