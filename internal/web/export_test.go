package web

// WebLocaleForTest reads one language's merged catalogue.
func WebLocaleForTest(lang string) (map[string]string, error) { return readCatalog(lang) }

// OpenAPIForTest is the embedded document.
func OpenAPIForTest() []byte { return openAPIDocument }

// APIRoutesForTest lists "METHOD /path" of every API route.
func APIRoutesForTest() []string {
	var out []string
	for _, r := range (&Server{}).apiTable() {
		out = append(out, r.method+" "+r.path)
	}
	return out
}

// RoutesForTest lists "METHOD /path" of every page and API route that
// needs a signed-in user.
func RoutesForTest() []string {
	s := &Server{}
	var out []string
	for _, r := range s.pageTable() {
		out = append(out, r.method+" "+r.path)
	}
	for _, r := range s.apiTable() {
		out = append(out, r.method+" "+r.path)
	}
	return out
}

// TnForTest is the plural-aware lookup pages use.
func TnForTest(lang, key string, n int) string { return translatePlural(lang, key, n) }

// NumberForTest is the one number helper.
func NumberForTest(lang string, f float64) string { return formatNumber(lang, f) }

// DeclaredForms are the routes whose forms declare their fields for being
// sent back with problems (keptforms.go), with the posted names.
type DeclaredForms map[string][]string

// Fields are the posted names of the route's form.
func (d DeclaredForms) Fields(route string) []string { return d[route] }

// FormsDeclaredForTest lists pageForms.
func FormsDeclaredForTest() DeclaredForms {
	out := DeclaredForms{}
	for route, fields := range pageForms {
		out[route] = []string{}
		for _, f := range fields {
			out[route] = append(out[route], f.Name)
		}
	}
	return out
}
