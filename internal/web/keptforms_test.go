package web_test

import (
	"cmp"
	"context"
	"database/sql"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"husly/internal/deadline"
	"husly/internal/movingon"
	"husly/internal/store"
	"husly/internal/store/storetest"
	"husly/internal/web"
)

// sentBack is a form posted with bad input to an action that returns to
// another page: as whom, what is posted, the page it returns to (with {id}
// as in the route's path), the field marked and what was typed in it.
type sentBack struct {
	user  string
	form  url.Values
	page  string
	field string
	typed string
}

// sentBackForms post bad input to each action whose page shows the form
// again; a route declared without fields (a button) is posted to show its
// problem in the summary. The table is checked against the source: every
// action ending in flashThenRedirect is here.
var sentBackForms = map[string]sentBack{
	// Moving on: the resident's page ({person}, whose lease ends within the
	// renewal window in this test), and a decision's or an appeal's
	// resident ({moving}) for the forms on one decision or appeal.
	"POST /bosikring/videre/fornyelse": {"demo-saksbehandler", url.Values{"lease": {"{lease}"}, "person": {"{person}"}, "back_person": {"{person}"}, "outcome": {"fornyes"},
		"reason": {"Fortsatt behov for oppfølging i hjemmet"}, "new_end_on": {"snart"}}, "/bosikring/videre?person={person}", "ne-{lease}", "snart"},
	"POST /bosikring/videre/flytting": {"demo-saksbehandler", url.Values{"lease": {"{lease}"}, "person": {"{person}"}, "back_person": {"{person}"}, "outcome": {"mer_oppfolging"},
		"reason": {"Trenger tettere oppfølging enn hjemmet gir"}, "offered": {"Bofellesskap med bemanning"}, "move_on": {"neste uke"}}, "/bosikring/videre?person={person}", "mv-on", "neste uke"},
	"POST /bosikring/videre/vedtak/{id}/sendt": {"demo-saksbehandler", url.Values{"back_person": {"{moving}"}, "channel": {""}},
		"/bosikring/videre?person={moving}", "ch-{id}", ""},
	"POST /bosikring/videre/vedtak/{id}/klage": {"demo-saksbehandler", url.Values{"back_person": {"{moving}"}, "grounds": {""}, "received_on": {"{today}"}},
		"/bosikring/videre?person={moving}", "gr-{id}", ""},
	"POST /bosikring/videre/klage/{id}": {"demo-saksbehandler", url.Values{"back_person": {"{moving}"}, "reconsideration": {"opprettholdes"}, "note": {""}},
		"/bosikring/videre?person={moving}", "rn-{id}", ""},
	"POST /oppfolging/{id}/kontakter": {"demo-oppfolging", url.Values{"kind": {"telefon"}, "on": {"2026-11-30"}, "minutes": {"mange"}, "note": {"Ringte og avtalte besøk"}, "note_category": {"oppfolging"}},
		"/oppfolging/{id}", "d-min", "mange"},
	"POST /oppfolging/{id}/tiltak": {"demo-oppfolging", url.Values{"kind": {"besok"}, "description": {"Besøk bare med to ansatte"}, "legal_basis": {""}, "from_on": {"2026-11-30"}, "until_on": {"2026-12-30"}, "review_on": {"2026-12-20"}, "informed_on": {"2026-11-30"}},
		"/oppfolging/{id}", "r-basis", ""},
	"POST /oppfolging/{id}/avtaler": {"demo-oppfolging", url.Values{"with": {"fastlege"}, "what": {"Time hos fastlegen"}, "on": {"2020-01-01"}},
		"/oppfolging/{id}", "a-on", "2020-01-01"},
	"POST /oppfolging/{id}/tavle": {"demo-oppfolging", url.Values{"reason": {"Trenger tett oppfølging"}, "until_on": {"snart"}},
		"/oppfolging/{id}", "f-until", "snart"},
	"POST /oppfolging/{id}/apen-dor": {"demo-oppfolging", url.Values{"statement": {"Vil ikke ha besøk nå"}, "channel": {""}, "ask_again_on": {"2099-01-01"}},
		"/oppfolging/{id}", "o-ch", ""},
	"POST /oppfolging/{id}/avslutt": {"demo-oppfolging", url.Values{"statement": {"Jeg vil avslutte"}, "reason": {"fengsel"}},
		"/oppfolging/{id}", "e-reason", ""},
	"POST /bosikring/klager": {"demo-saksbehandler", url.Values{"lease": {"{lease}"}, "kind": {"stoy"}, "source": {"nabo"}, "complainant": {"Nabo i tredje etasje"}, "received_on": {"2099-01-01"}, "what": {"Høy musikk etter midnatt"}},
		"/bosikring/klager", "c-received", "2099-01-01"},
	"POST /bosikring/klager/{id}/informert": {"demo-saksbehandler", url.Values{"lease": {"{lease}"}, "how": {"telefon"}, "informed_on": {"i går"}},
		"/bosikring/leieforhold/{lease}", "inf-on-{id}", "i går"},
	"POST /bosikring/klager/{id}/avslutt": {"demo-saksbehandler", url.Values{"lease": {"{lease}"}, "outcome": {""}},
		"/bosikring/leieforhold/{lease}", "out-{id}", ""},
	"POST /bosikring/leieforhold/{id}/trinn": {"demo-saksbehandler", url.Values{"step": {"oppsigelse"}, "issued_on": {"2026-11-20"}, "preventive_action": {"Samtale om støy og avtale om ro"}, "grounds": {"Gjentatt støy etter advarsel"}, "notice_months": {"tre"}},
		"/bosikring/leieforhold/{id}", "st-months", "tre"},
	"POST /bosikring/leieforhold/{id}/stopp": {"demo-saksbehandler", url.Values{"reason": {"ok"}},
		"/bosikring/leieforhold/{id}", "stop-reason", "ok"},
	"POST /bosikring/leieforhold/{id}/oppsigelse-fra-leietaker": {"demo-saksbehandler", url.Values{"received_on": {"2026-11-20"}, "moves_out_on": {"2026-10-01"}},
		"/bosikring/leieforhold/{id}", "tn-moves", "2026-10-01"},
	"POST /bosikring/trinn/{id}/tilbake": {"demo-saksbehandler", url.Values{"reason": {"feil"}},
		"/bosikring/leieforhold/{lease}", "rb-{id}", "feil"},
	"POST /bosikring/oppsigelser/{id}/samtale": {"demo-saksbehandler", url.Values{"lease": {"{lease}"}, "talked_on": {"2026-11-20"}, "note": {""}},
		"/bosikring/leieforhold/{lease}", "tk-note-{id}", ""},
	"POST /min-side/klager/{id}/svar": {"demo-beboer", url.Values{"body": {""}},
		"/min-side/klager", "reply-{id}", ""},
	"POST /bosikring/overganger": {"demo-saksbehandler", url.Values{"person": {"{person}"}, "kind": {"fengsel"}, "leaving_on": {"snart"}, "meeting_with": {"Kriminalomsorgen og NAV"}},
		"", "t-leaving", "snart"},
	"POST /bosikring/overganger/{id}/mote": {"demo-oppfolging", url.Values{"meeting_on": {"2026-12-10"}, "meeting_with": {""}},
		"/bosikring/overganger", "m-with-{id}", ""},
	"POST /bosikring/overganger/{id}/utfall": {"demo-oppfolging", url.Values{"outcome": {"trygg_bolig"}, "outcome_on": {"2099-01-01"}},
		"/bosikring/overganger", "od-{id}", "2099-01-01"},
	"POST /bosikring/midlertidig": {"demo-saksbehandler", url.Values{"person": {"{person}"}, "place": {"Hotell Sentrum"}, "owner": {"Hotell Sentrum AS"}, "start_on": {"2026-11-01"}, "price_per_night": {"mye"}},
		"", "s-price", "mye"},
	"POST /bosikring/midlertidig/{id}/avslutt": {"demo-saksbehandler", url.Values{"end_on": {"2026-11-30"}, "route_out": {""}},
		"/bosikring/midlertidig", "r-{id}", ""},
	"POST /bosikring/grenser": {"demo-enhetsleder", url.Values{"stay_days": {"90"}, "family_stay_days": {"30"}, "visit_weeks": {"ti"}, "check_months": {"12"}, "source": {"Kommunestyrets vedtak 2026"}},
		"/bosikring/midlertidig", "g-weeks", "ti"},
	"POST /bosikring/besok": {"demo-eiendom", url.Values{"lease": {"{due}"}, "person": {"{duePerson}"}, "kind": {"{dueKind}"}, "done_on": {"2026-11-30"}, "item_fukt": {"funn"}, "note_fukt": {""}},
		"/bosikring/besok", "n-{due}-fukt", ""},
	"POST /bosikring/restanser/praksis": {"demo-enhetsleder", url.Values{"conversation_days": {"tjue"}, "source": {"Rutine for restanser vedtatt 2026"}},
		"/bosikring/restanser", "ar-days", "tjue"},
	"POST /bosikring/restanser/samtaler/{id}/utfall": {"demo-oppfolging", url.Values{"outcome": {"annet"}, "held_on": {"2026-11-20"}, "note": {""}, "nav_legal_basis": {"Ingen hjemmel oppgitt"}},
		"/bosikring/restanser/leieforhold/{arrearsLease}", "note-{id}", ""},
	"POST /bosikring/restanser/samtaler/{id}/inkasso": {"demo-oppfolging", url.Values{"on": {"2099-01-01"}, "reason": {"Leietakeren svarer ikke på brev"}},
		"/bosikring/restanser/leieforhold/{arrearsLease}", "col-{id}", "2099-01-01"},
	"POST /tildeling/moter": {"demo-saksbehandler", url.Values{"held_on": {"i morgen"}},
		"/tildeling/moter", "mt-day", "i morgen"},
	"POST /tildeling/moteplan": {"demo-enhetsleder", url.Values{"interval_days": {"400"}},
		"/tildeling/moter", "sc-interval", "400"},
	"POST /tildeling/moter/{id}/saker": {"demo-saksbehandler", url.Values{"decision": {"utsatt"}, "reason": {""}, "item": {"1"}},
		"/tildeling/moter/{id}", "", ""},
	"POST /tildeling/moter/{id}/saker/{iid}": {"demo-saksbehandler", url.Values{"decision": {"utsatt"}, "reason": {""}},
		"/tildeling/moter/{id}", "", ""},
	"POST /tildeling/moter/{id}/avslutt": {"demo-saksbehandler", url.Values{"defer_reason": {""}},
		"/tildeling/moter/{id}", "", ""},
	"POST /oppfolging/normer": {"demo-enhetsleder", url.Values{"model": {"housing_first"}, "max_per_person_year": {"8"}, "min_contact_days": {"900"}, "source": {"Kommunens vedtak om oppfølging"}},
		"/oppfolging", "nm-days", "900"},
	"POST /oppfolging/team": {"demo-enhetsleder", url.Values{"org_unit": {""}, "model": {"housing_first"}},
		"/oppfolging", "nt-unit", ""},
	"POST /oppfolging/team/{id}/medlemmer": {"demo-enhetsleder", url.Values{"user": {"{oppfolging}"}, "fte": {"to"}, "employer": {"spesialisthelsetjenesten"}},
		"/oppfolging/team/{id}", "tm-fte", "to"},
	"POST /oppfolging/observasjoner": {"demo-eiendom", url.Values{"person": {"{person}"}, "kind": {"skade"}, "body": {""}},
		"/oppfolging/observasjoner", "ob-body", ""},
	"POST /oppfolging/observasjoner/{id}/behandlet": {"demo-oppfolging", url.Values{"reply": {""}},
		"/oppfolging/observasjoner", "rp-{id}", ""},
	"POST /oppfolging/{id}/planer": {"demo-oppfolging", url.Values{"kind": {"handlingsplan"}, "title": {"Plan for høsten og vinteren"}, "start_on": {"2026-11-20"}, "words": {""}},
		"/oppfolging/{id}/planer/oversikt", "np-words", ""},
	"POST /oppfolging/planer/innstillinger": {"demo-enhetsleder", url.Values{"review_months": {"tolv"}, "back": {"/oppfolging/{followup}/planer/oversikt"}},
		"/oppfolging/{followup}/planer/oversikt", "ps-months", "tolv"},
	// The plans' forms ({plan}: the follow-up's plan of the kind the form
	// adds to, or the resident's own), the team board's start and the
	// Housing First pipeline ({team}: the world's Housing First team).
	"POST /min-side/planer": {"demo-beboer", url.Values{"plan_id": {"{plan}"}, "kind": {"forslag"}, "body": {""}},
		"/min-side/planer", "body-{plan}", ""},
	"POST /oppfolging/housing-first/{id}/fase": {"demo-oppfolging", url.Values{"team": {"{team}"}, "phase": {"i_bolig"}, "on": {"snart"}, "home_choice": {"En liten leilighet nær sjøen"}},
		"/oppfolging/team/{team}/housing-first", "pd-{id}", "snart"},
	"POST /oppfolging/start": {"demo-oppfolging", url.Values{"person": {"{person}"}, "team": {"{team}"}, "primary": {""}, "intensity": {"middels"}},
		"/oppfolging/team/{team}", "sp-{person}-", ""},
	"POST /oppfolging/team/{id}/housing-first": {"demo-oppfolging", url.Values{"person": {"{person}"}, "referred_by": {"NAV Kristiansund"}, "on": {"2099-01-01"}},
		"/oppfolging/team/{id}/housing-first", "rf-on", "2099-01-01"},
	"POST /oppfolging/{id}/planer/delplan": {"demo-oppfolging", url.Values{"plan_id": {"{plan}"}, "kind": {"behandlingsplan"}, "reference": {"Behandlingsplan i DIPS"}, "held_by": {""}},
		"/oppfolging/{id}/planer/oversikt", "p-held-{plan}", ""},
	"POST /oppfolging/{id}/planer/gjennomgang": {"demo-oppfolging", url.Values{"plan_id": {"{plan}"}, "reviewed_on": {"i går"}, "summary": {"Gikk gjennom målene sammen"}},
		"/oppfolging/{id}/planer/oversikt", "rv-on-{plan}", "i går"},
	"POST /oppfolging/{id}/planer/kommentar": {"demo-oppfolging", url.Values{"plan_id": {"{plan}"}, "kind": {"kommentar"}, "body": {""}},
		"/oppfolging/{id}/planer/oversikt", "an-body-{plan}", ""},
	"POST /oppfolging/{id}/planer/koordinator": {"demo-oppfolging", url.Values{"plan_id": {"{plan}"}, "coordinator": {"{oppfolging}"}, "chosen_on": {"2099-01-01"}, "agreed": {"Valgt sammen på hjemmebesøk"}},
		"/oppfolging/{id}/planer/oversikt", "c-on-{plan}", "2099-01-01"},
	"POST /oppfolging/{id}/planer/mal": {"demo-oppfolging", url.Values{"plan_id": {"{plan}"}, "words": {""}, "area": {"arbeid"}, "dimensions": {"hap", "mening"}},
		"/oppfolging/{id}/planer/oversikt", "g{plan}-words", ""},
	"POST /oppfolging/{id}/planer/medlem": {"demo-oppfolging", url.Values{"plan_id": {"{plan}"}, "name": {""}, "agency": {"fastlege"}, "role": {"Fastlege for beboeren"}},
		"/oppfolging/{id}/planer/oversikt", "gm-name-{plan}", ""},
	"POST /oppfolging/{id}/planer/mote": {"demo-oppfolging", url.Values{"plan_id": {"{plan}"}, "held_on": {"neste uke"}, "agenda": {"Arbeid og økonomi"}},
		"/oppfolging/{id}/planer/oversikt", "mt-on-{plan}", "neste uke"},
	"POST /oppfolging/{id}/planer/oppgave": {"demo-oppfolging", url.Values{"plan_id": {"{plan}"}, "what": {"Søke om bostøtte sammen"}, "responsible": {"NAV-veilederen"}, "due_on": {"snart"}},
		"/oppfolging/{id}/planer/oversikt", "t-due-{plan}", "snart"},
	"POST /oppfolging/{id}/planer/tiltak": {"demo-oppfolging", url.Values{"plan_id": {"{plan}"}, "goal_id": {""}, "what": {"Møte jobbspesialisten"}, "responsible": {"Primærkontakten"}, "due_on": {"om en uke"}},
		"/oppfolging/{id}/planer/oversikt", "m-due-{plan}", "om en uke"},
	"POST /tekster/{kind}": {"demo-admin", url.Values{"body": {"Hei {navn}, {ukjent}."}},
		"/tekster", "t-brev_tildeling", "Hei {navn}, {ukjent}."},
	"POST /skriftsprak": {"demo-admin", url.Values{"written_form": {"latin"}},
		"/tekster", "", ""},
	"POST /tilgang/roller": {"demo-admin", url.Values{"label": {"Boligveileder i NAV"}, "code": {"Ugyldig Kode"}, "base": {"saksbehandler"}},
		"/tilgang", "role-code", "Ugyldig Kode"},
	"POST /tilgang/praksis": {"demo-admin", url.Values{"paper_post_days": {"5"}, "appeal_weeks": {"2"}, "deposit_months": {"3"}},
		"/tilgang", "pr-weeks", "2"},
	"POST /tilgang/nodtilgang/{id}/gjennomgang": {"demo-enhetsleder", url.Values{"note": {"Sett gjennom to ganger"}},
		"/tilgang", "", ""},
	// The moving-on plan and credit check ({person}'s finances), the
	// resident's appeal of their own decision (made below) and written
	// form on Min side, the catalogue's form for a new entry (its row
	// "_ny"), a unit's reveals, the provisional answer on the case list,
	// agreements, and the eligibility rules (shown again in place).
	"POST /bosikring/videre/kredittsjekk": {"demo-saksbehandler", url.Values{"person": {"{person}"}, "back_person": {"{person}"}, "checked_on": {"i går"}, "note": {"Sjekket hos byrået"}},
		"/bosikring/videre?person={person}", "cc-on", "i går"},
	"POST /bosikring/videre/plan": {"demo-saksbehandler", url.Values{"person": {"{person}"}, "back_person": {"{person}"}, "saving_monthly": {"mye"}, "next_step": {"Søke startlån før sommeren"}},
		"/bosikring/videre?person={person}", "pl-saving", "mye"},
	"POST /katalog/hjemler": {"demo-admin", url.Values{"row": {"_ny"}, "code": {"Ny Hjemmel"}, "law": {"Sosialtjenesteloven"}, "section": {"§ 15"}, "title": {"Boliger til vanskeligstilte"},
		"text_ref": {"LOV-2009-12-18-131 § 15"}, "active": {"ja"}}, "/katalog", "p-code-_ny", "Ny Hjemmel"},
	"POST /katalog/tjenester": {"demo-admin", url.Values{"row": {"_ny"}, "code": {"Ny Tjeneste"}, "name": {"Praktisk bistand i hjemmet"}, "provider": {""}, "active": {"ja"}},
		"/katalog", "s-code-_ny", "Ny Tjeneste"},
	"POST /min-side/bolig/{id}/klage": {"demo-beboer", url.Values{"grounds": {""}},
		"/min-side/bolig", "grounds-{id}", ""},
	"POST /min-side/skriftsprak": {"demo-beboer", url.Values{"written_form": {"latin"}},
		"/", "written-form", ""},
	"POST /organisasjon/{id}/avslorer": {"demo-admin", url.Values{"reveals": {"hemmelig"}},
		"/organisasjon/{id}", "reveals", ""},
	"POST /soknader/{id}/forelopig-svar": {"demo-saksbehandler", url.Values{"sent_on": {"2099-01-01"}},
		"/saker", "ps-sent-{id}", "2099-01-01"},
	"POST /tildeling/avtaler": {"demo-enhetsleder", url.Values{"partner": {"1506"}, "unit_code": {"AUTZ-T1"}, "valid_to": {"snart"}, "note": {"Tilbud til nabokommunen"}},
		"/tildeling/avtaler", "ag-to", "snart"},
	"POST /tilgang/vilkar": {"demo-admin", url.Values{"rows": {"1"}, "r1_kind": {"alder"}, "r1_limit": {"atten"}},
		"", "r1-limit", "atten"},
	// Activities (activity 1, made today), the staff register of the
	// Housing First team, and the house and site rules: building 1's draft,
	// the resident's building's draft ({rules}) and unit 1's site.
	"POST /aktiviteter": {"demo-oppfolging", url.Values{"title": {"Boligskolen: strøm og nettleie"}, "kind": {"kurs_okonomi"}, "on": {"{today}"}, "start_time": {"18:00"},
		"minutes": {"mange"}, "place": {"Kaffekroken, Langveien 9"}, "capacity": {"8"}}, "/aktiviteter", "n-minutes", "mange"},
	"POST /aktiviteter/{id}/oppmote": {"demo-oppfolging", url.Values{"signed": {"{person}"}, "came": {"{person}"}},
		"/aktiviteter/{id}", "at-came", ""},
	"POST /aktiviteter/{id}/pameldinger": {"demo-oppfolging", url.Values{"person": {""}, "agreed": {"ja"}},
		"/aktiviteter/{id}", "s-person", ""},
	"POST /boliger/{id}/anleggsregler": {"demo-eiendom", url.Values{"min_age": {"200"}, "max_age": {"0"}, "note": {"Bare for unge voksne i utdanning"}},
		"/boliger/{id}", "sr-min", "200"},
	"POST /bygg/{id}/husordensregler": {"demo-saksbehandler", url.Values{"body": {""}},
		"/bygg/{id}", "r-body", ""},
	"POST /bygg/{id}/husordensregler/ikraft": {"demo-saksbehandler", url.Values{"on": {"i morgen"}},
		"/bygg/{id}", "r-on", "i morgen"},
	"POST /min-side/husordensregler": {"demo-beboer", url.Values{"rules_id": {"{rules}"}, "body": {""}},
		"/", "c-{rules}", ""},
	"POST /oppfolging/team/{id}/personal/hms": {"demo-enhetsleder", url.Values{"held_on": {"2020-03-01"}, "findings": {"Mørk trapp i oppgang B"},
		"what_1": {"Lys i trappen"}, "owner_1": {"{oppfolging}"}, "due_1": {"2020-02-01"}}, "/oppfolging/team/{id}/personal", "h-due-1", "2020-02-01"},
	"POST /oppfolging/team/{id}/personal/kompetanse": {"demo-enhetsleder", url.Values{"user": {"{oppfolging}"}, "competence": {"mi"}, "taken_on": {"2020-06-01"},
		"expires_on": {"2020-01-01"}}, "/oppfolging/team/{id}/personal", "c-expires", "2020-01-01"},
	"POST /oppfolging/team/{id}/personal/opplaering": {"demo-enhetsleder", url.Values{"competence": {"mi"}, "every_months": {"tolv"}, "first_due_on": {"2027-01-01"}},
		"/oppfolging/team/{id}/personal", "t-every", "tolv"},
	"POST /oppfolging/team/{id}/personal/risiko": {"demo-enhetsleder", url.Values{"address": {"Storgata 1, oppgang B"}, "assessment": {"Hund som biter i leiligheten"},
		"measures": {"Ring før besøk og møt ute"}, "assessed_on": {"2020-01-01"}, "review_on": {"2099-01-01"}}, "/oppfolging/team/{id}/personal", "r-review", "2099-01-01"},
	"POST /oppfolging/team/{id}/personal/veiledning": {"demo-enhetsleder", url.Values{"held_on": {"2099-01-01"}, "kind": {"gruppe"}, "supervisor": {"Rådgiver fra KORUS"},
		"topic": {"Samtaler om rus og bolig"}, "users": {"{oppfolging}"}}, "/oppfolging/team/{id}/personal", "v-on", "2099-01-01"},
}

// sentTwice are actions whose only problem is the thing they act on having
// been acted on already: the form is sent once to succeed, then again.
var sentTwice = map[string]bool{"POST /tilgang/nodtilgang/{id}/gjennomgang": true}

// A form with bad input posted to an action that returns to another page
// comes back there: 303 to the page, which then shows the error summary,
// what was typed and the field marked, once; nothing is stored.
func TestFormsSentBackKeepWhatWasTyped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		w := buildWorld(t, db)
		ctx := context.Background()
		changes := func() (n int) {
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// The meeting has a case not yet decided, so closing it asks why.
		if _, err := db.ExecContext(ctx, "INSERT INTO meeting_items (municipality_id, meeting_id, application_id) SELECT municipality_id, id, ? FROM meetings WHERE id = ?",
			w.application, w.meeting); err != nil {
			t.Fatal(err)
		}
		oppfolging := queryID(t, db, "SELECT id FROM users WHERE username = 'demo-oppfolging'")
		// The active-case person lets the housing office see their finances,
		// so the moving-on page offers the plan and the credit check.
		if _, err := db.ExecContext(ctx, `INSERT INTO consents (municipality_id, person_id, recipient_unit_id, purpose, categories, given_at)
			SELECT municipality_id, ?, org_unit_id, 'Plan for boligkarriere', 'okonomi', ? FROM users WHERE username = 'demo-saksbehandler'`,
			w.persons[active], store.TimeArg(time.Now().Add(-time.Minute))); err != nil {
			t.Fatal(err)
		}
		// A move decision for the demo resident, which they appeal on Min
		// side (the appeal's {id} is another resident's decision).
		resident := w.persons[self]
		move := url.Values{"lease": {itoa(queryID(t, db, "SELECT MIN(l.id) FROM leases l JOIN lease_tenants lt ON lt.lease_id = l.id WHERE lt.person_id = ? AND l.status = 'aktiv'", resident))},
			"person": {itoa(resident)}, "outcome": {string(movingon.MoreSupport)}, "reason": {"Trenger personale hele døgnet"}, "offered": {"Bofellesskap med personale"},
			"move_on": {deadline.On(time.Now()).AddDays(30).String()}}
		postForm(t, s.client(t, "demo-saksbehandler"), s.URL+"/bosikring/videre/flytting", move)
		mine := queryID(t, db, "SELECT MAX(id) FROM renewal_decisions WHERE person_id = ?", resident)
		if mine == 0 {
			t.Fatal("no decision for the resident to appeal")
		}
		// The active-case person's lease ends within the renewal window, so
		// the moving-on page offers the renewal decision for it.
		today := time.Now().Format(time.DateOnly)
		if _, err := db.ExecContext(ctx, "UPDATE leases SET end_date = ? WHERE id = ?", time.Now().AddDate(0, 0, 60).Format(time.DateOnly), w.tenancy["lease"]); err != nil {
			t.Fatal(err)
		}
		// Activity 1 is today, so its page offers both the sign-up and the
		// attendance; building 1 and the resident's building have drafts of
		// house rules, to put in force and to comment on.
		if _, err := db.ExecContext(ctx, "UPDATE activities SET on_day = ? WHERE id = 1", deadline.On(time.Now())); err != nil {
			t.Fatal(err)
		}
		draft := `INSERT INTO house_rules (municipality_id, building_id, version, status, body, written_by, created_at)
			SELECT municipality_id, id, 1, 'utkast', 'Ro etter klokken 23.', 'Test', ? FROM buildings WHERE id = `
		queryID(t, db, draft+"1 RETURNING id", store.TimeArg(time.Now()))
		rules := queryID(t, db, draft+`(SELECT u.building_id FROM users us JOIN lease_tenants lt ON lt.person_id = us.person_id JOIN leases l ON l.id = lt.lease_id
			JOIN units u ON u.id = l.unit_id WHERE us.username = 'demo-beboer' AND l.status = 'aktiv') RETURNING id`, store.TimeArg(time.Now()))
		clients := map[string]*http.Client{}
		for route, c := range sentBackForms {
			if clients[c.user] == nil {
				clients[c.user] = s.client(t, c.user)
			}
			cl := clients[c.user]
			// The route's path with the world's ids, as the matrix posts it.
			valid := request(s.URL, route, w, active)
			path := strings.Replace(valid.URL.Path, "/tekster/vedtak", "/tekster/brev_tildeling", 1) // a text that exists
			if route == "POST /min-side/bolig/{id}/klage" {
				path = "/min-side/bolig/" + itoa(mine) + "/klage"
			}
			// {id} is the action's own (the first number in its path),
			// {lease} the world's lease.
			// {due…} is the first visit due on the visits page.
			var due []string
			if strings.Contains(c.form.Encode(), "due") {
				_, visits := get(t, cl, s.URL+"/bosikring/besok")
				due = regexp.MustCompile(`name="lease" value="(\d+)"><input type="hidden" name="person" value="(\d+)"><input type="hidden" name="kind" value="([a-z_]+)"`).FindStringSubmatch(visits)
				if due == nil {
					t.Fatalf("%s: no visit due", route)
				}
			} else {
				due = []string{"", "", "", ""}
			}
			// The resident of the decision or appeal a moving-on form acts on.
			var moving int64
			// The plan a plan form acts on.
			var planID int64
			id := regexp.MustCompile(`\d+`).FindString(path)
			switch {
			case strings.HasPrefix(route, "POST /bosikring/videre/vedtak/"):
				moving = queryID(t, db, "SELECT person_id FROM renewal_decisions WHERE id = ?", id)
			case strings.HasPrefix(route, "POST /bosikring/videre/klage/"):
				moving = queryID(t, db, "SELECT d.person_id FROM renewal_appeals a JOIN renewal_decisions d ON d.id = a.decision_id WHERE a.id = ?", id)
			case strings.HasPrefix(route, "POST /oppfolging/{id}/planer/"):
				kind := map[string]string{"delplan": "individuell_plan", "koordinator": "individuell_plan", "medlem": "ansvarsgruppe", "mote": "ansvarsgruppe",
					"oppgave": "ansvarsgruppe"}[route[strings.LastIndex(route, "/")+1:]]
				planID = queryID(t, db, "SELECT MIN(id) FROM plans WHERE followup_id = ? AND kind = ?", id, cmp.Or(kind, "handlingsplan"))
			case route == "POST /min-side/planer":
				planID = queryID(t, db, "SELECT MIN(id) FROM plans WHERE person_id = ?", w.persons[self])
			}
			ids := strings.NewReplacer("{moving}", itoa(moving), "{today}", today, "{due}", due[1], "{duePerson}", due[2], "{dueKind}", due[3], "{id}", id, "{lease}", itoa(w.tenancy["lease"]), "{person}", itoa(w.persons[active]), "{arrearsLease}", itoa(w.arrears["lease"]), "{oppfolging}", itoa(oppfolging), "{followup}", itoa(w.followup["followup"]),
				"{plan}", itoa(planID), "{team}", itoa(w.followup["team"]), "{rules}", itoa(rules))
			page := ids.Replace(c.page)
			field := ids.Replace(c.field)
			form := url.Values{}
			for name, vs := range c.form {
				for _, v := range vs {
					form.Add(name, ids.Replace(v))
				}
			}
			if sentTwice[route] {
				resp, err := cl.PostForm(s.URL+path, form)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				get(t, cl, s.URL+page) // the confirmation
			}
			before := changes()
			resp, err := cl.PostForm(s.URL+path, form)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if n := changes(); n != before {
				t.Errorf("%s: bad input stored %d changes", route, n-before)
			}
			body := string(b)
			switch {
			case page == "":
				// Shown again in place, as the person page's forms are.
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("%s: %d, want 422 with the form", route, resp.StatusCode)
					continue
				}
			case resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page:
				t.Errorf("%s: %d to %q, want 303 to %s", route, resp.StatusCode, resp.Header.Get("Location"), page)
				continue
			default:
				_, body = get(t, cl, s.URL+page)
			}
			body = html.UnescapeString(body)
			if !strings.Contains(body, `id="error-summary"`) {
				t.Errorf("%s: %s shows no error summary", route, page)
				continue
			}
			if field := field; field != "" {
				if !strings.Contains(body, `href="#`+field+`"`) {
					t.Errorf("%s: the summary does not link to %s", route, field)
				}
				if !regexp.MustCompile(`id="` + field + `"[^>]*aria-invalid="true" aria-describedby="` + field + `-error[ "]`).MatchString(body) {
					t.Errorf("%s: %s is not marked: %s", route, field, regexp.MustCompile(`(?s)<div class="ds-error-summary.*?</ul>`).FindString(body))
				}
				if !strings.Contains(body, `id="`+field+`-error"`) {
					t.Errorf("%s: no message under %s", route, field)
				}
				if c.typed != "" && !regexp.MustCompile(`id="`+field+`"[^>]*value="`+regexp.QuoteMeta(c.typed)+`"`).MatchString(body) && !strings.Contains(body, ">"+c.typed+"</textarea>") {
					t.Errorf("%s: %s does not keep %q: %s", route, field, c.typed, regexp.MustCompile(`<[^>]*id="`+field+`"[^>]*>`).FindString(body))
				}
			}
			for name, vs := range form {
				if v := vs[0]; len(v) > 12 && !strings.Contains(body, v) {
					t.Errorf("%s: %s=%q is not kept", route, name, v)
				}
			}
			if page == "" {
				continue
			}
			// Shown once: a reload is the clean page.
			_, again := get(t, cl, s.URL+page)
			if strings.Contains(again, `id="error-summary"`) || strings.Contains(again, `aria-invalid="true"`) {
				t.Errorf("%s: a reload of %s shows the form sent back again", route, page)
			}
		}
		// A number that does not parse is named in the reader's language,
		// and its field is marked in every language.
		contact := request(s.URL, "POST /oppfolging/{id}/kontakter", w, active).URL.Path
		back := contact[:strings.LastIndex(contact, "/")]
		for _, lang := range []string{"nn", "en"} {
			cl := s.client(t, "demo-oppfolging")
			postForm(t, cl, s.URL+"/sprak", url.Values{"lang": {lang}, "neste": {"/"}})
			postForm(t, cl, s.URL+contact, url.Values{"kind": {"telefon"}, "on": {"2026-11-30"}, "minutes": {"mange"}, "note": {"Ringte"}, "note_category": {"oppfolging"}})
			_, body := get(t, cl, s.URL+back)
			if !regexp.MustCompile(`id="d-min"[^>]*aria-invalid="true"`).MatchString(body) || !strings.Contains(body, `href="#d-min"`) {
				t.Errorf("%s: the duration that is not a number is not marked: %s", lang, regexp.MustCompile(`(?s)<div class="ds-error-summary.*?</ul>`).FindString(body))
			}
		}
	})
}

// Every action ending in flashThenRedirect declares its form's fields
// (declareForms) and is posted with bad input in sentBackForms, or is a
// button only (declared without fields), or is shown again in place; none
// is declared that is not such an action.
func TestEveryFormSentBackIsDeclaredAndTested(t *testing.T) {
	actions := formsSentBack(t)
	declared := web.FormsDeclaredForTest()
	is := map[string]bool{}
	for _, route := range actions {
		is[route] = true
		c, tested := sentBackForms[route]
		_, isDeclared := declared[route]
		switch {
		case tested && c.page == "":
			// Shown again in place (422), as the person page's forms.
		case !isDeclared:
			t.Errorf("%s ends in flashThenRedirect but declares no fields for its form (declareForms)", route)
		case !tested && len(declared.Fields(route)) > 0 && !refusedToAll(route):
			t.Errorf("%s: not posted with bad input in sentBackForms", route)
		}
	}
	for route := range declared {
		if !is[route] {
			t.Errorf("%s declares fields but does not end in flashThenRedirect", route)
		}
	}
}

// refusedToAll reports whether the authorization matrix lets no role post
// to route (amounts of arrears, which no demo role may read): there is no
// one to post bad input as.
func refusedToAll(route string) bool {
	for _, u := range roles {
		if want, ok := expect[route]; !ok || want(u, active) {
			return false
		}
	}
	return true
}

// The schedule's "no unit breaks a tie" is a choice the form offers, so
// sending it saves the schedule with no such unit.
func TestScheduleWithoutTieBreak(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newSite(t, db)
		c := s.client(t, "demo-enhetsleder")
		_, page := get(t, c, s.URL+"/tildeling/moter")
		m := regexp.MustCompile(`name="tie_break"[^>]*><option value="([^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("the schedule form has no tie-break choice")
		}
		resp, err := c.PostForm(s.URL+"/tildeling/moteplan", url.Values{"interval_days": {"14"}, "tie_break": {m[1]}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		_, page = get(t, c, s.URL+"/tildeling/moter")
		if strings.Contains(page, `id="error-summary"`) || !strings.Contains(page, "Møteplanen er lagret.") {
			t.Fatalf("the schedule without a tie-break unit was not saved (%d)", resp.StatusCode)
		}
		var tie sql.NullInt64
		if err := db.QueryRowContext(context.Background(), "SELECT tie_break_unit_id FROM meeting_schedules WHERE municipality_id = (SELECT municipality_id FROM users WHERE username = 'demo-enhetsleder')").Scan(&tie); err != nil {
			t.Fatal(err)
		}
		if tie.Valid && tie.Int64 != 0 {
			t.Fatalf("tie-break unit %d stored, want none", tie.Int64)
		}
	})
}
