#!/usr/bin/env bash
# Husly's full test run, the one CI runs: formatting, tidy modules,
# golangci-lint (which runs go vet's and staticcheck's analyzers with the
# others; pinned version, installed once through the Go module proxy), the Go
# suite under the race detector (every storage test on SQLite, and on
# PostgreSQL when HUSLY_TEST_POSTGRES is set), then the browser tests when
# Chromium is present. Under CI=true nothing required may be skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

# The linter's version; raise it here and nowhere else.
GOLANGCI_LINT_VERSION=v2.15.0   # builds with Go 1.26; bundles staticcheck 2026.2
# Installed once into the Go tool directory and reused by later runs.
tools="${HUSLY_TOOLS:-$(go env GOPATH)/bin}"

# What is required is checked first, so a run that cannot be complete
# stops before it has spent any time.
if [ -z "${HUSLY_TEST_POSTGRES:-}" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true but HUSLY_TEST_POSTGRES is not set: the PostgreSQL suite cannot be skipped" >&2
    exit 1
  fi
  echo "== HUSLY_TEST_POSTGRES not set: the Go suite runs on SQLite only"
fi
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
browser=yes
if [ ! -x "$chromium" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true but Chromium is missing at $chromium: the browser tests cannot be skipped" >&2
    exit 1
  fi
  echo "== Chromium not found at $chromium: browser tests will be skipped (apt-get install chromium)"
  browser=no
fi

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "not gofmt'ed (run gofmt -w):" >&2
  echo "$unformatted" >&2
  exit 1
fi

echo "== go mod tidy -diff"
go mod tidy -diff

if ! { [ -x "$tools/golangci-lint" ] && "$tools/golangci-lint" version 2>/dev/null | grep -q -- "${GOLANGCI_LINT_VERSION#v}"; }; then
  echo "== installing golangci-lint $GOLANGCI_LINT_VERSION into $tools"
  GOBIN="$tools" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
fi

# The race detector needs cgo and a C compiler (gcc on the build machines).
# Every Husly package is instrumented. The SQLite engine (modernc.org's
# translation of SQLite's C into Go, with its C library) is not: SQLite
# guards its own memory with its mutexes, which reach the detector through
# Go's sync package, and instrumenting every load and store of its virtual
# machine made each SQLite test two to three times slower while it can
# only find races in SQLite itself. The per-package limit is raised from
# go test's default of 10 minutes for heavily shared machines.
gotest() {
  CGO_ENABLED=1 go test -race -gcflags='modernc.org/...=-race=false' -count=1 -timeout 30m "$@"
}

# The rest runs in two lanes side by side. internal/web is the longest
# package by far, and its tests run one at a time (each on both engines at
# once), so it leaves part of a two-core machine idle for most of its run.
# Lane 1 is that package alone, started first so it is never the last to
# begin; lane 2 is everything else in order: the linter, the other
# packages, then the browser tests. Each lane writes its own log, printed
# whole when the lane ends; the run fails if either lane fails.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

lane_web() {
  echo "== go test -race ./internal/web/"
  gotest ./internal/web/
}

lane_rest() {
  echo "== golangci-lint (.golangci.yml: go vet, staticcheck and the rest)"
  "$tools/golangci-lint" run ./...
  echo "== go test -race (every package but internal/web)"
  gotest $(go list ./... | grep -v '^husly/internal/web$')
  if [ "$browser" = no ]; then
    return
  fi
  echo "== browser tests (Playwright + axe-core in Chromium)"
  if [ ! -d e2e/node_modules/playwright-core ]; then
    (cd e2e && npm ci --no-audit --no-fund)
  fi
  local bin
  bin=$(mktemp -d)/husly
  go build -o "$bin" ./cmd/husly
  (cd e2e && HUSLY_BIN="$bin" npm test)
}

started=$SECONDS
# Job control gives each lane its own process group, so a failed lane 2
# can stop lane 1 and everything it started at once.
set -m
( set -e; lane_web ) >"$logs/web" 2>&1 &
web=$!
( set -e; lane_rest ) >"$logs/rest" 2>&1 &
rest=$!
# Interrupted (Ctrl-C, or CI's time limit), the lanes' own process groups
# would run on: stop them with the script.
trap 'kill -- -"$web" -"$rest" 2>/dev/null || true; rm -rf "$logs"' EXIT
trap 'exit 130' INT TERM
status=0
wait "$rest" || status=$?
echo "---- lane 2 (lint, other packages, browser) ended after $((SECONDS - started)) s with status $status"
cat "$logs/rest"
if [ "$status" -ne 0 ]; then
  kill -- -"$web" 2>/dev/null || true
fi
webstatus=0
wait "$web" || webstatus=$?
echo "---- lane 1 (internal/web) ended by $((SECONDS - started)) s with status $webstatus"
cat "$logs/web"
if [ "$status" -ne 0 ] || [ "$webstatus" -ne 0 ]; then
  echo "FAILED: lane 2 status $status, lane 1 (internal/web) status $webstatus" >&2
  exit 1
fi
echo "== all checks and tests passed in $((SECONDS - started)) s after the formatting checks"
