package org

import (
	"husly/internal/access"
	"husly/internal/personaldata"
)

// The organisation's tables. A user row is a member of staff, or a
// resident's login to Min side: only the latter is about a person Husly
// serves.
func init() {
	personaldata.Register("org",
		personaldata.Table{Name: "municipalities", Holds: "kommunene"},
		personaldata.Table{Name: "org_units", Holds: "kommunens enheter og deres kontaktopplysninger"},
		personaldata.Table{Name: "users", Holds: "ansatte og beboernes innlogging til Min side",
			Person: personaldata.Link{Column: "person_id"}, Category: access.Basic, Columns: []string{"username", "full_name", "email", "password_hash"},
			Dossier: "person",
			// The row stays for the audit chain's actor names, with nothing left that names the person.
			Erasure: personaldata.Erasure{Rule: personaldata.Anonymised,
				Set: "person_id = NULL, active = FALSE, username = 'slettet-' || CAST(id AS TEXT), full_name = 'Slettet bruker', email = '', password_hash = ''"}},
		personaldata.Table{Name: "api_tokens", Holds: "API-nøkler (bare hashen lagres)",
			NotAboutPerson: "nøklene tilhører ansatte og integrasjoner, ikke personene tjenestene kjenner"},
		// Written by internal/access/login, which links an identity provider's
		// (issuer, subject) to a user; for residents the subject names the person.
		personaldata.Table{Name: "external_identities", Holds: "koblinger fra identitetstjenester (utsteder og subjekt) til brukere",
			Person: personaldata.Link{Column: "user_id", Via: "users"}, Category: access.Basic, Columns: []string{"issuer", "subject"},
			NotInDossier: "koblingen er bare den tekniske nøkkelen til innloggingen; brukernavnet står under grunnopplysninger",
			Erasure:      personaldata.Erasure{Rule: personaldata.Deleted}},
	)
}
