package people

// HoldIndexesAfter sets the import's threshold for setting indexes aside,
// so a test crosses it with a small file; it returns the undo.
func HoldIndexesAfter(n int) func() {
	old := holdIndexesAfter
	holdIndexesAfter = n
	return func() { holdIndexesAfter = old }
}
