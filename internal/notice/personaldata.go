package notice

import "husly/internal/personaldata"

// unit_notices holds, per row, the one category the notice carries (the
// tenancy or finances). A notice is part of the case's documentation of
// what the municipality told whom, kept by the archive rules as the ladder
// step or the conversation it tells of.
func init() {
	personaldata.Register("notice",
		personaldata.Table{Name: "unit_notices", Holds: "varsler til enheter om en person: eskaleringstrinn til oppfølgingsteamet og NAV, samtaler om restanse til NAV",
			Person: personaldata.Link{Column: "person_id"}, Columns: []string{"recipient", "category", "basis", "phrase"},
			Erasure:      personaldata.Erasure{Rule: personaldata.Blocks, One: "varsel til en enhet", Many: "varsler til enheter", Why: personaldata.ArchiveRule},
			NotInDossier: "a notice repeats to a unit what the ladder step or the arrears conversation says, and those are in the tenancy and arrears parts"},
	)
}
