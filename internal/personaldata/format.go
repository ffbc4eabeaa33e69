package personaldata

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Readable turns a recorded JSON object into "field: value" lines, leaving
// out empty fields, for the PDF.
func Readable(js string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		return js
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		if v := fmt.Sprint(m[k]); v != "" && v != "<nil>" {
			lines = append(lines, strings.ReplaceAll(k, "_", " ")+": "+v)
		}
	}
	return strings.Join(lines, "\n")
}
