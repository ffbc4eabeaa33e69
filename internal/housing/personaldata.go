package housing

import (
	"husly/internal/access"
	"husly/internal/personaldata"
)

// The housing stock holds no personal data; a lease does, through its
// tenants.
func init() {
	personaldata.Register("housing",
		personaldata.Table{Name: "sites", Holds: "anlegg og deres regler for hvem de kan ta imot"},
		personaldata.Table{Name: "buildings", Holds: "bygninger"},
		personaldata.Table{Name: "units", Holds: "boligene: adresse, størrelse, husleie, egenskaper"},
		personaldata.Table{Name: "counters", Holds: "tall til forsiden: antall personer, boliger etter kategori og status, aktive leieforhold",
			NoBackup: "derived: the schema's triggers keep it, and rebuild it as a restore inserts the rows it counts"},
		personaldata.Table{Name: "leases", Holds: "leiekontrakter: periode, husleie, depositum, husordensregler, oppfølgingsavtale, oppsigelse",
			Person: personaldata.Link{Column: "id", Via: "lease_tenants", ViaColumn: "lease_id"}, Category: access.Tenancy,
			Columns: []string{"start_date", "end_date", "rent_monthly", "deposit", "house_rules", "followup_agreement", "termination_reason"},
			Dossier: "leases", Erasure: personaldata.Erasure{Rule: personaldata.Blocks, One: "leiekontrakt", Many: "leiekontrakter", Why: personaldata.ArchiveRule}},
		personaldata.Table{Name: "lease_tenants", Holds: "hvem som er leietaker på en kontrakt",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Tenancy, Columns: []string{"person_id"},
			Dossier: "leases", Erasure: personaldata.Erasure{Rule: personaldata.Blocks, One: "leieforhold", Many: "leieforhold", Why: personaldata.ArchiveRule},
			Timeline: []personaldata.Event{{Kind: "leiekontrakt", Title: "texts.timeline.lease", Args: []personaldata.ArgKind{personaldata.ArgText},
				Query: `SELECT l.created_at, u.address, 'leieforhold', u.code FROM lease_tenants t JOIN leases l ON l.id = t.lease_id JOIN units u ON u.id = l.unit_id WHERE t.municipality_id = ? AND t.person_id = ?`}}},
	)
}
