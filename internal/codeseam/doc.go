// Package codeseam has no code of its own: its test keeps each typed code
// (the statuses, kinds and outcomes declared in a capability's codes.go)
// written out in that file only, so every other file names the constant
// and a renamed or removed code cannot linger as a bare string.
package codeseam
