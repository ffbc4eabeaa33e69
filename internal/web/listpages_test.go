package web_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/store/storetest"
)

// TestNotificationsAndMeetingsPaged: more notifications and meetings than
// a page holds are all reached by following the next links, on the API
// and on the pages, in order and without repeats.
func TestNotificationsAndMeetingsPaged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSite(t, db)
		c := loadContract(t, s)
		cw := s.client(t, "demo-saksbehandler")
		base := s.URL + "/api/v1"
		u, err := org.UserByUsername(ctx, db, "demo-saksbehandler")
		if err != nil {
			t.Fatal(err)
		}
		type item struct {
			ID int64 `json:"id"`
		}
		// A case the case worker may see, as the first row of the work list.
		apps := walk[item](t, c, cw, base+"/worklist?limit=1")
		if len(apps) == 0 {
			t.Fatal("no case on the work list")
		}
		const extra = 130
		for i := 0; i < extra; i++ {
			if _, err := db.ExecContext(ctx, `INSERT INTO notifications (municipality_id, org_unit_id, application_id, message, created_at)
				VALUES (?, ?, ?, ?, '2026-11-01T00:00:00Z')`, u.MunicipalityID, u.OrgUnitID, apps[0].ID, fmt.Sprintf("Varsel %03d", i)); err != nil {
				t.Fatal(err)
			}
			// Several meetings share a day, so the key's tie on id is used.
			if _, err := db.ExecContext(ctx, `INSERT INTO meetings (municipality_id, held_on, status, created_by, created_at)
				VALUES (?, ?, 'avsluttet', 'Test', '2026-11-01T00:00:00Z')`, u.MunicipalityID, fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%5)); err != nil {
				t.Fatal(err)
			}
		}

		notes := walk[item](t, c, cw, base+"/notifications?limit=37")
		wholeNotes := walk[item](t, c, cw, base+"/notifications?limit=500")
		if len(notes) < extra || !slices.Equal(notes, wholeNotes) {
			t.Fatalf("paged notifications: %d, in pages of 500: %d", len(notes), len(wholeNotes))
		}
		for i := 1; i < len(notes); i++ {
			if notes[i-1].ID <= notes[i].ID {
				t.Fatalf("notifications out of order at %d", i)
			}
		}
		type meeting struct {
			ID     int64  `json:"id"`
			HeldOn string `json:"held_on"`
		}
		meetings := walk[meeting](t, c, cw, base+"/meetings?limit=29")
		wholeMeetings := walk[meeting](t, c, cw, base+"/meetings?limit=500")
		if len(meetings) < extra || !slices.Equal(meetings, wholeMeetings) {
			t.Fatalf("paged meetings: %d, in pages of 500: %d", len(meetings), len(wholeMeetings))
		}
		for i := 1; i < len(meetings); i++ {
			a, b := meetings[i-1], meetings[i]
			if a.HeldOn < b.HeldOn || a.HeldOn == b.HeldOn && a.ID <= b.ID {
				t.Fatalf("meetings out of order at %d: %+v before %+v", i, a, b)
			}
		}

		// The pages: every notification and meeting across the next links.
		follow := func(first, section, nextLink string, row *regexp.Regexp) map[string]bool {
			seen := map[string]bool{}
			next := first
			for pages := 0; next != ""; pages++ {
				resp, body := get(t, cw, s.URL+strings.ReplaceAll(next, "&amp;", "&"))
				if resp.StatusCode != 200 || pages > 10 {
					t.Fatalf("%s: %d", next, resp.StatusCode)
				}
				part := body
				if i := strings.Index(body, section); i >= 0 {
					part = body[i:]
				}
				for _, m := range row.FindAllStringSubmatch(part, -1) {
					if seen[m[1]] {
						t.Fatalf("%s shows %s twice", first, m[1])
					}
					seen[m[1]] = true
				}
				next = ""
				if m := regexp.MustCompile(nextLink).FindStringSubmatch(body); m != nil {
					next = m[1]
				}
				if pages == 0 && next == "" {
					t.Fatalf("%s has no link to its next page", first)
				}
			}
			return seen
		}
		if seen := follow("/saker?vis=oppgaver", `id="h-notes"`, `href="(/saker\?[^"]*varsler=[^"]+)"`, regexp.MustCompile(`action="/varsler/(\d+)/lest"`)); len(seen) != len(notes) {
			t.Errorf("the work list's pages show %d notifications, the API %d", len(seen), len(notes))
		}
		if seen := follow("/tildeling/moter", `<tbody>`, `href="(/tildeling/moter\?side=[^"]+)"`, regexp.MustCompile(`href="/tildeling/moter/(\d+)"`)); len(seen) != len(meetings) {
			t.Errorf("the meeting list's pages show %d meetings, the API %d", len(seen), len(meetings))
		}
		if resp, _ := get(t, cw, s.URL+"/tildeling/moter?side=abc"); resp.StatusCode != 400 {
			t.Errorf("a bad meeting page token: %d", resp.StatusCode)
		}
		if resp, _ := get(t, cw, s.URL+"/saker?vis=oppgaver&varsler=abc"); resp.StatusCode != 400 {
			t.Errorf("a bad notification page token: %d", resp.StatusCode)
		}
	})
}
