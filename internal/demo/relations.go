package demo

import (
	"fmt"
	"slices"
	"time"

	"husly/internal/access"
	"husly/internal/caseflow"
	"husly/internal/deadline"
	"husly/internal/housing"
	"husly/internal/org"
	"husly/internal/store"
)

// relations gives the units their roles on the demo cases, records
// consents and writes notes, as a year of real work would have left them.
func (g *generator) relations(persons []person, leased map[int64]housing.Category) error {
	role := func(personID int64, kind org.UnitKind, responsibility, legal string) error {
		_, err := access.AddCaseUnit(g.ctx, g.tx, g.actor, access.CaseUnit{PersonID: personID, OrgUnitID: g.units[kind],
			Responsibility: responsibility, LegalBasis: legal, Started: reference.AddDate(0, -g.rng.IntN(24), -g.rng.IntN(28))})
		return err
	}
	consent := func(personID int64, kind org.UnitKind, purpose string, cats ...access.Category) error {
		_, err := access.RecordConsent(g.ctx, g.tx, g.actor, access.Consent{PersonID: personID, RecipientUnitID: g.units[kind],
			Purpose: purpose, Categories: cats, Expires: deadline.Of(reference.AddDate(1+g.rng.IntN(2), 0, 0).Date())})
		return err
	}
	// Notes are written as by the unit that keeps them.
	note := func(personID int64, kind org.UnitKind, cat access.Category, body string) error {
		_, err := g.tx.ExecContext(g.ctx, `INSERT INTO notes (municipality_id, person_id, category, body, author_name, org_unit_name, written_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, g.mid, personID, string(cat), body, "Demodata", unitName(kind),
			store.TimeArg(reference.AddDate(0, -g.rng.IntN(10), -g.rng.IntN(28))))
		return err
	}
	for _, p := range persons {
		steps := []func() error{
			func() error {
				return note(p.id, org.KindHousingOffice, access.HousingNeeds, g.pick(housingNeeds))
			},
		}
		if g.chance(0.6) {
			steps = append(steps, func() error { return role(p.id, org.KindNAV, "økonomisk sosialhjelp", "") })
			if g.chance(0.8) {
				steps = append(steps,
					func() error {
						return consent(p.id, org.KindNAV, "Vurdere bostøtte, husleie og økonomisk rådgivning", access.Finances)
					},
					func() error { return note(p.id, org.KindNAV, access.Finances, g.pick(financeNotes)) })
			}
		}
		if cat, ok := leased[p.id]; ok {
			steps = append(steps, func() error { return role(p.id, org.KindProperty, "utleier", "") },
				func() error { return note(p.id, org.KindProperty, access.Tenancy, g.pick(tenancyNotes)) })
			switch cat {
			case housing.CategoryHousingFirst:
				steps = append(steps, func() error { return role(p.id, org.KindHousingFirst, "bo-oppfølging (Housing First)", "") },
					func() error {
						return consent(p.id, org.KindHousingFirst, "Bo-oppfølging og samarbeid med behandling", access.Health, access.Substance, access.FollowUpPlan)
					},
					func() error { return note(p.id, org.KindHousingFirst, access.FollowUpPlan, g.pick(planNotes)) })
			case housing.CategoryShared, housing.CategoryRehabilitation, housing.CategorySpecialised:
				steps = append(steps, func() error { return role(p.id, org.KindHousingTeam, "miljøarbeid i bofellesskap", "") },
					func() error { return note(p.id, org.KindHousingTeam, access.FollowUpPlan, g.pick(planNotes)) })
			}
		}
		if g.chance(0.45) {
			// Municipal mental-health and substance services: the person's own
			// health care, with a statutory basis for its own records.
			steps = append(steps, func() error {
				return role(p.id, org.KindMentalHealthRus, "behandling og oppfølging", "helse- og omsorgstjenesteloven § 3-2")
			},
				func() error { return note(p.id, org.KindMentalHealthRus, access.Health, g.pick(healthNotes)) },
				func() error { return note(p.id, org.KindMentalHealthRus, access.Substance, g.pick(substanceNotes)) })
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return fmt.Errorf("person %d: %w", p.id, err)
			}
		}
	}
	return nil
}

func unitName(kind org.UnitKind) string {
	for _, u := range orgUnits {
		if u.kind == kind {
			return u.name
		}
	}
	return string(kind)
}

var (
	housingNeeds = []string{
		"Ønsker å bo alene, gjerne på Nordlandet nær søsteren. Vil ikke tilbake til sentrum.",
		"Trenger bolig på bakkeplan etter hofteoperasjon. Har katt og vil beholde den.",
		"Bor nå på hospits. Ønsker røykfri bolig utenfor sentrum, unna gamle miljøer.",
		"Familie med to barn i trangbodd leilighet. Trenger tre rom i nærheten av skolen på Frei.",
		"Har sovet hos venner siste tre måneder. Ønsker egen inngang og lite nabokontakt i starten.",
	}
	financeNotes = []string{
		"Husleierestanse på to måneder. Avtalt nedbetalingsplan; bostøtte søkt.",
		"Mottar arbeidsavklaringspenger. Budsjett gjennomgått sammen med brukeren.",
		"Trekk i ytelse for husleie direkte til utleier etter ønske fra brukeren.",
	}
	tenancyNotes = []string{
		"Innflyttingsbesøk gjennomført. Boligen i god stand, naboene hilst på.",
		"Nabovarsel om støy i helgen. Samtale med leietaker, som tar det til etterretning.",
		"Fuktskade på bad meldt. Vaktmester har vært der og utbedrer neste uke.",
	}
	planNotes = []string{
		"Ukentlig hjemmebesøk. Mål i egne ord: «Klare meg selv med handling og vask.»",
		"Handlingsplan revidert. Brukeren vil begynne på arbeidstrening hos Kirkelandet kafé.",
		"Ansvarsgruppemøte: avtalt at fastlegen følger opp medisiner, teamet følger opp bolig.",
	}
	healthNotes = []string{
		"Stabil periode. Møter til samtaler hver 14. dag og opplever bedre søvn.",
		"Innlagt frivillig i akuttpsykiatrisk en uke i mars. Utskrevet til egen bolig med oppfølging.",
		"Kriseplan utarbeidet sammen med brukeren og mor.",
	}
	substanceNotes = []string{
		"I LAR-behandling. Henter medisin på apoteket tre dager i uken.",
		"Ønsker å redusere alkoholbruken. Avtalt samtaler med ruskonsulent.",
		"Sprekk etter dødsfall i nær familie; tok selv kontakt. Økt oppfølging en periode.",
	}
)

// cases gives persons still waiting for a home the start of a case: a first
// contact, a mapping in their own words and an application, received over
// the last six weeks so the work list shows fresh, due and overdue cases.
// Dates follow today, not the demo's reference day, so the list looks alive
// whenever the demo is run.
func (g *generator) cases(persons []person, leased map[int64]housing.Category) error {
	today := deadline.On(time.Now())
	if err := g.catalogues(); err != nil {
		return err
	}
	situations := []caseflow.Residence{caseflow.Temporary, caseflow.Temporary, caseflow.WithOthers, caseflow.WithOthers,
		caseflow.NoPlaceTonight, caseflow.Prison, caseflow.Institution, caseflow.Sublet}
	channels := []caseflow.ContactChannel{caseflow.FromNAV, caseflow.FromHousingOffice, caseflow.FromOutreach, caseflow.FromPeerWorker, caseflow.FromGP,
		caseflow.FromSpecialistCare, caseflow.FromCorrections, caseflow.FromSelf}
	n := 0
	for _, p := range persons {
		if _, housed := leased[p.id]; housed || p.size == 0 || n >= 60 {
			continue
		}
		n++
		received := today.AddDays(-g.rng.IntN(45))
		residence := situations[g.rng.IntN(len(situations))]
		in := caseflow.ContactInput{Received: received, Channel: channels[g.rng.IntN(len(channels))], Residence: residence, Summary: g.pick(contactSummaries)}
		if residence == caseflow.Prison || residence == caseflow.Institution {
			in.Leaving = received.AddDays(10 + g.rng.IntN(70))
		}
		contact, err := caseflow.RegisterContact(g.ctx, g.tx, g.actor, p.id, in, today)
		if err != nil {
			return fmt.Errorf("contact for %d: %w", p.id, err)
		}
		district := g.pick(districts)
		if _, err := caseflow.SaveMapping(g.ctx, g.tx, g.actor, p.id, caseflow.Mapping{HousingNeed: g.pick(housingNeeds), Goals: g.pick(goals),
			WantDistricts: district, SmokeFree: g.chance(0.4), Pets: g.chance(0.2), GroundFloor: g.chance(0.25), LiveWith: "alene"}); err != nil {
			return err
		}
		var groups []caseflow.Group
		if contact.Homeless {
			groups = append(groups, caseflow.GroupHomeless)
		}
		if residence == caseflow.Prison {
			groups = append(groups, caseflow.GroupReleased)
		}
		if p.size > 2 {
			groups = append(groups, caseflow.GroupFamily)
		}
		app, err := caseflow.Apply(g.ctx, g.tx, g.actor, p.id, caseflow.ApplicationInput{Kind: []caseflow.ApplicationKind{caseflow.KindHousing, caseflow.KindBoth}[g.rng.IntN(2)],
			Received: received, YearsResident: float64(g.rng.IntN(12)) / 2, HouseholdSize: max(p.size, 1),
			HouseholdIncome: float64(150000 + g.rng.IntN(300000)), RegisteredHere: g.chance(0.9), Groups: groups}, today)
		if err != nil {
			return err
		}
		if err := g.advance(app, n, today); err != nil {
			return fmt.Errorf("case %d: %w", app.ID, err)
		}
	}
	return nil
}

// advance moves some of the demo's cases along the chain, so every phase
// has cases in it: information requested, decided and waiting, offered,
// accepted, under lease, refused and appealed.
func (g *generator) advance(app caseflow.Application, n int, today deadline.Date) error {
	received := app.Received
	since := func(d deadline.Date) error { // the phase started then, not now
		_, err := g.tx.ExecContext(g.ctx, "UPDATE applications SET phase_since = ?, created_at = ? WHERE id = ?",
			store.TimeArg(time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, deadline.Oslo)), store.TimeArg(time.Date(received.Year, received.Month, received.Day, 9, 0, 0, 0, deadline.Oslo)), app.ID)
		return err
	}
	if err := since(received); err != nil {
		return err
	}
	stage := n % 6
	if stage == 0 || today.DaysUntil(received) > -12 {
		return nil // just received
	}
	if stage == 1 {
		if _, err := caseflow.RequestInformation(g.ctx, g.tx, g.actor, app.ID, caseflow.RequestInput{What: g.pick(missingInfo), DueOn: today.AddDays(g.rng.IntN(10))}, today); err != nil {
			return err
		}
		_, err := caseflow.LogMeeting(g.ctx, g.tx, g.actor, app.ID, caseflow.Meeting{HeldOn: received.AddDays(3), Participants: "Søkeren, saksbehandler og NAV-veileder",
			Summary: "Gikk gjennom søknaden og ønskene. Søkeren sender det som mangler."}, today)
		if err != nil {
			return err
		}
		return since(received.AddDays(3))
	}
	decided := received.AddDays(10)
	in := caseflow.DecisionInput{Outcome: caseflow.OutcomeGranted, HousingType: []housing.Category{housing.CategoryOrdinary, housing.CategoryOrdinary, housing.CategoryHousingFirst, housing.CategoryCare}[n%4], Rooms: 1, Reasons: g.pick(decisionReasons), DecidedOn: decided,
		LegalBasisCodes: []string{"bsl-6", "tildeling-4"}}
	if app.Kind == caseflow.KindBoth {
		in.Services = []caseflow.Service{{Code: "boteam", HoursPerWeek: float64(2 + g.rng.IntN(4)), ProviderUnitID: g.units[org.KindHousingTeam], StartOn: decided}}
		in.Coordinator, in.Conditions, in.CoordinatorAgreed = "Siri Saksbehandler", "Oppfølgingsavtale med boteamet, gjennomgås hver tredje måned.", "ja"
		if in.HousingType == housing.CategoryHousingFirst {
			// Housing First follows by need, not by hours (seed 003).
			in.Services = []caseflow.Service{{Code: "housing_first", AsNeeded: true, AsNeededText: "Hjemmebesøk og følge til avtaler så ofte deltakeren ønsker og trenger det.",
				ProviderUnitID: g.units[org.KindHousingFirst], StartOn: decided}}
			in.Conditions, in.ParticipantAgreement = "Deltakeravtale med Housing First-teamet.", true
		}
	}
	if stage == 5 {
		in = caseflow.DecisionInput{Outcome: caseflow.OutcomeRefused, Reasons: "Husstanden har inntekt og formue over grensen i tildelingsforskriften, og kan få hjelp til å leie privat.",
			LegalBasisCodes: []string{"tildeling-3"}, DecidedOn: decided}
	}
	if _, err := caseflow.Decide(g.ctx, g.tx, g.actor, app.ID, in, today); err != nil {
		return err
	}
	// The decision letter goes out the next working day, most by digital
	// post and some on paper; the appeal deadline runs from its arrival.
	sent := deadline.NextWorkingDay(decided.AddDays(1))
	if today.Before(sent) {
		sent = today
	}
	channel := []string{caseflow.ChannelDigital, caseflow.ChannelDigital, caseflow.ChannelPaper, caseflow.ChannelHanded}[n%4]
	if err := caseflow.RecordLetterSent(g.ctx, g.tx, g.actor, app.ID, caseflow.LetterDecision, caseflow.SendInput{Channel: channel, SentOn: sent}, today); err != nil {
		return err
	}
	if err := since(decided); err != nil {
		return err
	}
	switch stage {
	case 3, 4:
		if n > 30 {
			return nil // the rest wait on the list, leaving vacancies for the allocation round
		}
		d, err := caseflow.Load(g.ctx, g.tx, g.actor, app.ID, today, access.ChannelPage)
		if err != nil {
			return err
		}
		units, err := caseflow.FittingUnits(g.ctx, g.tx, g.actor, *d.Current(), today)
		if err != nil || len(units) == 0 {
			return err
		}
		// Applicants ahead may wait for the same kind of home: the demo's
		// case worker writes why this one gets it.
		why := "Boligen ligger nær søkerens nettverk og behandlingssted; søkerne foran ønsker andre bydeler."
		o, err := caseflow.MakeOffer(g.ctx, g.tx, g.actor, app.ID, caseflow.OfferInput{UnitID: units[g.rng.IntN(len(units))].ID, PassedOverReason: why}, today)
		if err != nil || stage == 3 {
			return err
		}
		if _, _, err := caseflow.AnswerOffer(g.ctx, g.tx, g.actor, app.ID, o.ID, caseflow.OfferAnswer{Accept: true}, today); err != nil {
			return err
		}
		if n%12 == 4 {
			// Some deposits are a NAV guarantee instead (husleieloven § 3-6).
			held := map[bool]string{true: "nav_garanti", false: "depositumskonto"}[n%24 == 4]
			_, err = caseflow.SignLease(g.ctx, g.tx, g.actor, app.ID, caseflow.LeaseInput{Start: today, Deposit: o.RentMonthly * 2, DepositHeld: held}, today)
		}
		return err
	case 5:
		if n%12 == 5 {
			appealed := decided.AddDays(12)
			if today.Before(appealed) {
				appealed = today
			}
			_, err := caseflow.RegisterAppeal(g.ctx, g.tx, g.actor, app.ID, caseflow.AppealInput{ReceivedOn: appealed,
				Grounds: "Inntekten er beregnet med feriepenger og en engangsutbetaling; den faste inntekten er under grensen."}, today)
			return err
		}
	}
	return nil
}

var (
	missingInfo     = []string{"Kontoutskrift for de siste tre månedene", "Lønnsslipp eller vedtak om stønad", "Bekreftelse på løslatelsesdato", "Uttalelse fra fastlegen om behovet for tilrettelegging"}
	decisionReasons = []string{
		"Søkeren er bostedsløs og har ikke mulighet til å skaffe seg bolig selv. Behovet for oppfølging i hjemmet er kartlagt sammen med søkeren.",
		"Søkeren bor midlertidig hos venner og har forsøkt å leie privat uten å lykkes. Søkeren fyller vilkårene om botid og inntekt.",
		"Søkeren løslates uten bolig å gå til. Kommunen har ansvar for å bistå, og søkeren ønsker en bolig utenfor sentrum.",
	}
)

var (
	contactSummaries = []string{
		"Ringte selv etter å ha mistet leiligheten.",
		"Henvist fra legevakten; trenger et sted å bo før helgen.",
		"Kontakt via erfaringskonsulent på Kirkelandet kafé.",
		"NAV melder at midlertidig botilbud går ut om to uker.",
		"Løslates snart og har ikke bolig å gå til.",
	}
	goals = []string{
		"«Ha min egen dør å låse.»",
		"«Bo nær datteren min på Frei.»",
		"«Få ro, og slippe å flytte igjen.»",
		"«Et sted der hunden kan bo med meg.»",
		"«Komme meg bort fra sentrum og de gamle miljøene.»",
	}
)

// catalogues gives the demo municipality its own provisions (the local
// allocation regulation) and the units that give each catalogue service.
func (g *generator) catalogues() error {
	admin := access.Actor{MunicipalityID: g.mid, Username: "demo-admin", Name: "Demo-administrator", Role: access.Admin}
	for _, p := range []caseflow.Provision{
		{Code: "tildeling-3", Law: "forskrift om tildeling av kommunal bolig, Kristiansund kommune", Section: "§ 3", Title: "Hvem kan få kommunal bolig", TextRef: "Lokal forskrift § 3", Active: true},
		{Code: "tildeling-4", Law: "forskrift om tildeling av kommunal bolig, Kristiansund kommune", Section: "§ 4", Title: "Prioritering", TextRef: "Lokal forskrift § 4", Active: true},
	} {
		if _, err := caseflow.SaveProvision(g.ctx, g.tx, admin, p); err != nil {
			return err
		}
	}
	// The public page's address and opening hours; the phone is the
	// housing office's.
	for _, t := range [][2]string{{caseflow.TextPublicAddress, "Tildelingskontoret, Kaibakken 1, 6509 Kristiansund N"},
		{caseflow.TextPublicHours, "Mandag–fredag kl. 08.00–15.30\nTorsdag til kl. 18.00"}} {
		if err := caseflow.SetText(g.ctx, g.tx, admin, t[0], t[1]); err != nil {
			return err
		}
	}
	// Each built-in service (its catalogue code) and the kind of unit that gives it.
	for _, x := range []struct {
		code string
		unit org.UnitKind
	}{{"housing_first", org.KindHousingFirst}, {"fact", org.KindFACT}, {"boteam", org.KindHousingTeam}, {"praktisk_bistand", org.KindHomeCare}, {"miljovaktmester", org.KindProperty}} {
		code, unit := x.code, x.unit
		i := slices.IndexFunc(caseflow.BuiltInServices, func(c caseflow.CatalogService) bool { return c.Code == code })
		c := caseflow.BuiltInServices[i]
		c.ProviderUnitID, c.Active = g.units[unit], true
		if _, err := caseflow.SaveService(g.ctx, g.tx, admin, c); err != nil {
			return err
		}
	}
	return nil
}
