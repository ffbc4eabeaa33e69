#!/usr/bin/env bash
# Husly's full test run: vet, the Go suite (every storage test runs on SQLite,
# and on PostgreSQL when HUSLY_TEST_POSTGRES is set), then the browser tests
# when Chromium is present. Under CI=true nothing required may be skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go vet"
go vet ./...

if [ -z "${HUSLY_TEST_POSTGRES:-}" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true but HUSLY_TEST_POSTGRES is not set: the PostgreSQL suite cannot be skipped" >&2
    exit 1
  fi
  echo "== HUSLY_TEST_POSTGRES not set: the Go suite runs on SQLite only"
fi

echo "== go test"
go test -count=1 ./...

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true but Chromium is missing at $chromium: the browser tests cannot be skipped" >&2
    exit 1
  fi
  echo "== Chromium not found at $chromium: browser tests skipped (apt-get install chromium)"
  exit 0
fi

echo "== browser tests (Playwright + axe-core in Chromium)"
if [ ! -d e2e/node_modules/playwright-core ]; then
  (cd e2e && npm ci --no-audit --no-fund)
fi
bin=$(mktemp -d)/husly
go build -o "$bin" ./cmd/husly
(cd e2e && HUSLY_BIN="$bin" npm test)
