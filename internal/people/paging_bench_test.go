package people_test

import (
	"context"
	"io"
	"testing"

	"husly/internal/access"
	"husly/internal/people"
	"husly/internal/people/peopletest"
	"husly/internal/store/storetest"
	"husly/internal/tabular"
)

// BenchmarkListDeepPage lists the first page and the page after 50,000
// persons (page 1,001 of 50) of a register of 100,000 on each engine: with
// keyset paging the deep page costs what the first does; the OFFSET query
// it replaced is measured beside them.
func BenchmarkListDeepPage(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		ctx := context.Background()
		db := storetest.Open(b, engine)
		tn := storetest.NewTenant(b, db, "1505")
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(peopletest.WriteCSV(pw, 100000, "Boligkontoret")) }()
		if _, err := people.Import(ctx, db, tn.Operator(), pr, tabular.CSV, nil); err != nil {
			b.Fatal(err)
		}
		var deep people.PageKey
		if err := db.QueryRowContext(ctx, `SELECT last_name_key, first_name_key, id FROM persons
			ORDER BY last_name_key, first_name_key, id LIMIT 1 OFFSET 49999`).Scan(&deep.LastName, &deep.FirstName, &deep.ID); err != nil {
			b.Fatal(err)
		}
		for _, page := range []struct {
			name  string
			after people.PageKey
		}{{"first", people.PageKey{}}, {"after-50000", deep}} {
			b.Run(engine+"/"+page.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					ps, err := people.List(ctx, db, tn.CaseWorker(), access.ChannelPage, people.CaseFilter{}, page.after, 50)
					if err != nil || len(ps) != 50 {
						b.Fatalf("list = %d, %v", len(ps), err)
					}
				}
			})
		}
		// The same page the old way, by OFFSET, for the ratio in the same run.
		b.Run(engine+"/offset-50000", func(b *testing.B) {
			visible, args := access.VisibleClause(tn.CaseWorker())
			page := func() (n int, err error) {
				rows, err := db.QueryContext(ctx, `SELECT p.id FROM persons p WHERE p.municipality_id = ? AND `+visible+`
					ORDER BY p.last_name_key, p.first_name_key, p.id LIMIT 50 OFFSET 50000`, append([]any{tn.MunicipalityID}, args...)...)
				if err != nil {
					return 0, err
				}
				defer rows.Close()
				for rows.Next() {
					n++
				}
				return n, rows.Err()
			}
			for i := 0; i < b.N; i++ {
				if n, err := page(); err != nil || n != 50 {
					b.Fatalf("offset page = %d, %v", n, err)
				}
			}
		})
	}
}
