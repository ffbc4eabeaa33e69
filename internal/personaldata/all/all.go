// Package all links every capability that declares tables in the registry
// of personal data. A program that erases, backs up or gives a dossier
// imports it, so the registry is complete; the registry's test against the
// schema fails if a capability with tables is missing here.
package all

import (
	_ "husly/internal/activity"
	_ "husly/internal/allocation"
	_ "husly/internal/arrears"
	_ "husly/internal/caseflow"
	_ "husly/internal/drafts"
	_ "husly/internal/followup"
	_ "husly/internal/homecheck"
	_ "husly/internal/housing"
	_ "husly/internal/movingon"
	_ "husly/internal/notice"
	_ "husly/internal/org"
	_ "husly/internal/people"
	_ "husly/internal/plan"
	_ "husly/internal/tenancy"
	_ "husly/internal/transition"
	_ "husly/internal/workenv"
)
