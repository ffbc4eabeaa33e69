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

echo "== gofmt"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "not gofmt'ed (run gofmt -w):" >&2
  echo "$unformatted" >&2
  exit 1
fi

echo "== go mod tidy -diff"
go mod tidy -diff

# golangci-lint runs go vet's analyzers and staticcheck's checks (the list in
# .golangci.yml, the same as staticcheck.conf) with the other linters, from
# one load of the packages: running go vet and staticcheck on their own as
# well cost about 100 CPU-seconds more and found nothing they do not.
if ! { [ -x "$tools/golangci-lint" ] && "$tools/golangci-lint" version 2>/dev/null | grep -q -- "${GOLANGCI_LINT_VERSION#v}"; }; then
  echo "== installing golangci-lint $GOLANGCI_LINT_VERSION into $tools"
  GOBIN="$tools" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
fi
echo "== golangci-lint (.golangci.yml: go vet, staticcheck and the rest)"
"$tools/golangci-lint" run ./...

if [ -z "${HUSLY_TEST_POSTGRES:-}" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true but HUSLY_TEST_POSTGRES is not set: the PostgreSQL suite cannot be skipped" >&2
    exit 1
  fi
  echo "== HUSLY_TEST_POSTGRES not set: the Go suite runs on SQLite only"
fi

# The race detector needs cgo and a C compiler (gcc on the build machines).
# Every Husly package is instrumented, and so is the SQLite driver
# (modernc.org/sqlite). SQLite itself is not: its C translated into Go
# (modernc.org/sqlite/lib), the C library and memory allocator under it.
# Instrumenting every load and store of SQLite's virtual machine made each
# SQLite test two to three times slower while it can only find races in
# SQLite. The driver must stay instrumented: it uses sync.Map, whose
# generic code a package compiled without the detector's hooks emits
# again with plain atomics, and the linker may keep that copy for the
# whole binary; the detector then no longer sees any sync.Map order and
# reports encoding/json's and reflect's caches as racing
# (TestRaceDetectorSeesSyncMap in internal/store fails on such a build).
# The per-package limit is raised from go test's default of 10 minutes for
# heavily shared machines.
uninstrumented=(modernc.org/sqlite/lib modernc.org/libc/... modernc.org/memory modernc.org/mathutil)
gcflags=()
for p in "${uninstrumented[@]}"; do gcflags+=("-gcflags=$p=-race=false"); done
# go test starts packages in the order it is given them, two at a time on
# two cores: the web package's tests take longest by far, so it goes first
# and the others run beside it rather than after it.
slowest=husly/internal/web
packages=("$slowest")
while read -r p; do
  [ "$p" = "$slowest" ] || packages+=("$p")
done < <(go list ./...)
echo "== go test -race"
CGO_ENABLED=1 go test -race "${gcflags[@]}" -count=1 -timeout 30m "${packages[@]}"

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
