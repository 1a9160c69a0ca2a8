// Package demodir holds the demo network's Evidence Broker and Data
// Service Directory: the requirements of docs/demo-requirements.md with
// evidence types and providers in LV, EE, LT, FI and DE. Only the demo
// network, the demo member state and tests import it, so a nodemo build
// carries none of it.
package demodir

import (
	_ "embed"
	"fmt"

	"github.com/vienreiz/vienreiz/oots/commonsvc"
)

// JSON is the demo directory in commonsvc.LoadDirectory's form.
//
//go:embed demodata.json
var JSON []byte

// Directory returns the demo directory.
func Directory() (*commonsvc.Directory, error) {
	d, err := commonsvc.LoadDirectory(JSON)
	if err != nil {
		return nil, fmt.Errorf("embedded demo directory: %w", err)
	}
	return d, nil
}
