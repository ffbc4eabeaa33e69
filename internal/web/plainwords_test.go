package web_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// residentPages crawls the pages the resident reaches by links from Min
// side (GET, this site, HTML) and returns each page's main text by its
// path: what she reads, without markup, scripts or the shared header.
func residentPages(t *testing.T, s site) map[string]string {
	t.Helper()
	c := s.client(t, "demo-beboer")
	links := regexp.MustCompile(`href="(/[^"#]*)"`)
	main := regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`)
	tags := regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`)
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	out := map[string]string{}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		resp, body := get(t, c, s.URL+path)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		m := main.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s has no <main>", path)
		}
		out[path] = strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(m[1], " "))), " ")
		for _, l := range links.FindAllStringSubmatch(body, -1) {
			u, err := url.Parse(html.UnescapeString(l[1]))
			if err != nil || strings.HasPrefix(u.Path, "/static/") || u.Path == "/logg-ut" {
				continue
			}
			p := u.Path
			if u.RawQuery != "" {
				p += "?" + u.RawQuery
			}
			if !seen[p] && len(seen) < 200 {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return out
}

// legalTerms are the law's words a resident should not have to read on
// her own pages (issue 11, point 9: plain words, not staff terms): the
// names of acts and regulations, sections, "hjemmel", and the decision
// called by its legal name ("vedtak", "enkeltvedtak").
var legalTerms = regexp.MustCompile(`(?i)§|\b\p{L}*loven\b|\blov om\b|\bforskrift\p{L}*|\bhjemmel\p{L}*|\bjf\.|\b(enkelt)?vedtak\p{L}*|\bforvaltnings\p{L}*`)

// mustCite are the citations a page has to show, by the pattern of its
// path: where Min side says why a unit works on her case, the legal basis
// is part of the answer (GDPR art. 13(1)(c) and 15(1)(a): the purpose and
// basis of the processing), so the unit's basis may name its act. The
// letters themselves are the decisions and must cite the law
// (forvaltningsloven §§ 24, 25 and 27), so they are not checked.
var mustCite = []struct {
	path  *regexp.Regexp
	allow *regexp.Regexp
}{
	{regexp.MustCompile(`^/$|^/personer/\d+/tidslinje$`), regexp.MustCompile(`\p{L}+loven § \d+ ?\p{L}?|Loven gir dem rett til det \([^)]*\)`)},
	{regexp.MustCompile(`^/saker/\d+/brev/`), regexp.MustCompile(`.*`)},
}

// The resident's pages speak plainly: with a decided application, a letter
// and units at work on her case, no page she reaches from Min side names
// the law, except the legal basis of a unit's role and the letters.
func TestResidentPagesAvoidLegalTerms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		cwUser, err := org.UserByUsername(ctx, db, "demo-saksbehandler")
		if err != nil {
			t.Fatal(err)
		}
		resident, err := org.UserByUsername(ctx, db, "demo-beboer")
		if err != nil {
			t.Fatal(err)
		}
		cw, today := cwUser.Actor(), deadline.On(time.Now())
		// One application of each kind: granted, refused, and one waiting.
		for i, kind := range []caseflow.ApplicationKind{caseflow.KindHousing, caseflow.KindAssistance, caseflow.KindBoth} {
			app, err := caseflow.Apply(ctx, db, cw, resident.PersonID, caseflow.ApplicationInput{Kind: kind, Received: today.AddDays(-20), YearsResident: 5, HouseholdSize: 1, RegisteredHere: true}, today)
			if err != nil {
				t.Fatal(err)
			}
			in := caseflow.DecisionInput{Outcome: caseflow.OutcomeGranted, HousingType: housing.CategoryOrdinary, Rooms: 1, Reasons: "Du trenger en bolig.",
				DecidedOn: today.AddDays(-5), LegalBasisCodes: []string{"bsl-6", "tildeling-4"}}
			if i == 1 {
				in = caseflow.DecisionInput{Outcome: caseflow.OutcomeRefused, Reasons: "Inntekten er over grensen.", LegalBasisCodes: []string{"tildeling-3"}, DecidedOn: today.AddDays(-5)}
			}
			if i == 2 {
				continue
			}
			if _, err := caseflow.Decide(ctx, db, cw, app.ID, in, today); err != nil {
				t.Fatal(err)
			}
			if err := caseflow.RecordLetterSent(ctx, db, cw, app.ID, caseflow.LetterDecision, caseflow.SendInput{Channel: caseflow.ChannelDigital, SentOn: today.AddDays(-4)}, today); err != nil {
				t.Fatal(err)
			}
		}
		pages := residentPages(t, s)
		letters := 0
		for path := range pages {
			if strings.Contains(path, "/brev/") {
				letters++
			}
		}
		if len(pages) < 5 || letters == 0 {
			t.Fatalf("the crawl reached %d pages and %d letters", len(pages), letters)
		}
		for path, text := range pages {
			for _, c := range mustCite {
				if c.path.MatchString(path) {
					text = c.allow.ReplaceAllString(text, "")
				}
			}
			for _, m := range legalTerms.FindAllStringIndex(text, -1) {
				t.Errorf("%s says %q: …%s…", path, text[m[0]:m[1]], text[max(0, m[0]-60):min(len(text), m[1]+40)])
			}
		}
	})
}
