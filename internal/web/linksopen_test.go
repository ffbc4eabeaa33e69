package web_test

import (
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"husly/internal/store"
	"husly/internal/store/storetest"
)

// pageKind names a page by its route, ids as {id} and only the query's
// names, so a crawl checks each kind of page once.
var pageKind = regexp.MustCompile(`/\d+(/|$)`)

// No staff page shows a link its reader may not follow (issue 11, point
// 8): a crawl from each role's start page over every kind of page it
// links to meets no 403.
func TestLinksShownAreOpen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		links := regexp.MustCompile(`href="(/[^"#]*)"`)
		for _, user := range []string{"demo-saksbehandler", "demo-eiendom", "demo-oppfolging", "demo-enhetsleder", "demo-planlegger", "demo-admin"} {
			c := s.client(t, user)
			seen := map[string]bool{}
			type hop struct{ path, from string }
			queue := []hop{{"/", ""}}
			for len(queue) > 0 && len(seen) < 400 {
				h := queue[0]
				queue = queue[1:]
				u, _ := url.Parse(h.path)
				q := u.Query()
				q.Del("side")
				var names []string
				for k := range q {
					names = append(names, k)
				}
				sort.Strings(names)
				kind := pageKind.ReplaceAllString(u.Path, "/{id}$1") + "?" + strings.Join(names, "&")
				if seen[kind] {
					continue
				}
				seen[kind] = true
				resp, body := get(t, c, s.URL+h.path)
				if resp.StatusCode == 403 {
					t.Errorf("%s: %s answers 403 behind a link on %s", user, h.path, h.from)
				}
				if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
					continue
				}
				for _, l := range links.FindAllStringSubmatch(body, -1) {
					p := html.UnescapeString(l[1])
					if strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/logg-") {
						continue
					}
					queue = append(queue, hop{p, h.path})
				}
			}
		}
	})
}
