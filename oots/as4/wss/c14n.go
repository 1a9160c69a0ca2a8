package wss

import (
	"fmt"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// canonicalize returns the exclusive XML canonicalization (without
// comments) of el as it stands in its document: the namespaces in scope
// from its ancestors are taken into account, el itself is not changed.
func canonicalize(el *etree.Element, prefixList string) ([]byte, error) {
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, fmt.Errorf("namespace context of %s: %w", el.FullTag(), err)
	}
	detached, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, fmt.Errorf("detaching %s: %w", el.FullTag(), err)
	}
	out, err := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList(prefixList).Canonicalize(detached)
	if err != nil {
		return nil, fmt.Errorf("exclusive c14n of %s: %w", el.FullTag(), err)
	}
	return out, nil
}
