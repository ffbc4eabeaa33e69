// Command husly runs Husly: the server, the demo, and the operator's tools.
package main

import (
	"os"
	_ "time/tzdata" // Norway's summer time even on a host without a zoneinfo database

	"husly/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
