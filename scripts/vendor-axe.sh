#!/usr/bin/env bash
# vendor-axe.sh [VERSION] — copies axe.min.js and its licence from the
# axe-core npm package into oots/portal/testdata, where the portal's browser
# test injects it into Chromium for the accessibility check. The copy is
# committed so that CI needs no npm; run this to move to another version.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-4.14.1}
out=oots/portal/testdata/axe-core
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$version" >/dev/null)
tar -xzf "$tmp"/axe-core-*.tgz -C "$tmp"
mkdir -p "$out"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$out/"
echo "$version" > "$out/VERSION"
echo "axe-core $version copied to $out"
