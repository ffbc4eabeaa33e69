# Husly's developer commands. Only Go is needed for build; the test run also
# needs gcc (the race detector) and installs its two linters through the Go
# module proxy; the browser tests need Node and Chromium, the asset refresh
# needs npm.
.PHONY: test build demo bench assets

test:
	./scripts/test.sh

build:
	go build -o husly ./cmd/husly

demo:
	go run ./cmd/husly demo

bench:
	go test -run '^$$' -bench . -benchmem ./...

assets:
	./scripts/assets.sh
