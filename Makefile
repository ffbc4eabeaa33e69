# Husly's developer commands. Only Go is needed for build and the Go suite;
# the browser tests need Node and Chromium, the asset refresh needs npm.
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
