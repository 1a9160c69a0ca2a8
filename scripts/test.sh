#!/usr/bin/env bash
# test.sh — what `make test` runs: formatting and vet, the unit tests with
# the race detector on SQLite and PostgreSQL, the pure-Go build, the real
# cgo build of the app, and a smoke test of the app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
# Fyne picks its language from these; the tests expect English. `env` sets
# it for the commands only, as the shell itself may lack that locale.
unset LC_ALL LC_MESSAGES LANGUAGE
run_en() { env LANG=en_US.UTF-8 "$@"; }

step() { echo; echo "== $*"; }
app_tags=$(cat scripts/app-tags) # the tags the app is built with

mkdir -p build
step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
[ -z "$unformatted" ] || { echo "gofmt would change: $unformatted"; exit 1; }

step "go vet"
go vet ./...
CGO_ENABLED=0 go vet -tags ci ./...
go vet -tags "$app_tags" ./oots/store/

step "PostgreSQL for the store tests"
if url=$(scripts/postgres.sh); then
  trap 'scripts/postgres.sh stop' EXIT  # only stops a cluster this run started
  export VIENREIZ_TEST_POSTGRES="$url"
  echo "using $url"
elif [ "${VIENREIZ_REQUIRE_POSTGRES:-}" = 1 ]; then
  echo "PostgreSQL is required here (VIENREIZ_REQUIRE_POSTGRES=1) but could not be started"; exit 1
else
  echo "PostgreSQL tests will be skipped"
fi

step "unit tests (race detector)"
run_en go test -race -count=1 -timeout 30m ./... 2>&1 | tee build/test.log

step "the app's store: SQLite only (-tags $app_tags)"
env -u VIENREIZ_TEST_POSTGRES go test -count=1 -tags "$app_tags" -run 'WithoutPostgres|SQLite|AllOrNothing' ./oots/store/

step "pure-Go build (CGO_ENABLED=0, -tags ci)"
CGO_ENABLED=0 go build -tags ci -o build/vienreiz-ci .
CGO_ENABLED=0 go build -o build/vienreiz-server ./platforms/server

step "cgo build of the app"
# About and -version name the commit a build was made from: given to the
# linker as make run gives it (Go's own stamp may be off: -buildvcs=false).
commit=$(git rev-parse --short=8 HEAD 2>/dev/null || true)
go build -tags "$app_tags" -ldflags "-X github.com/vienreiz/vienreiz/internal/buildinfo.commit=$commit" -o build/vienreiz .
if [ -n "$commit" ]; then
	version=$(build/vienreiz -version 2>&1)
	case "$version" in
	*"$commit"*) echo "$version" ;;
	*) echo "build/vienreiz -version says \"$version\", not commit $commit" >&2; exit 1 ;;
	esac
fi

step "smoke test under Xvfb"
scripts/smoke.sh build/vienreiz
