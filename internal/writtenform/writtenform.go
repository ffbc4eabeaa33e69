// Package writtenform decides which of the two Norwegian written forms,
// bokmål or nynorsk, a letter to a person is written in: the
// municipality's choice, unless the person has asked for the other.
//
// The law: språklova (lov 21. mai 2021 nr. 42) § 11 lets the municipal
// council choose bokmål, nynorsk or neutrality (neutral until it chooses);
// § 15 gives a private person the right to answers in their own written
// form from state bodies and county authorities; § 9 asks every public
// body for clear language fitted to the reader. The forms are equal
// (§ 4), so the content of a letter under forvaltningsloven §§ 24–27 is
// the same in both. A municipality is not bound by § 15, but Husly follows
// it as its rule: a wish the person has made known wins.
package writtenform

import (
	"context"

	"husly/internal/access"
	"husly/internal/audit"
	"husly/internal/invalid"
	"husly/internal/store"
)

// Form is a written form a letter is written in.
type Form string

const (
	Bokmal  Form = "bokmal"
	Nynorsk Form = "nynorsk"
)

// Forms are the written forms letters exist in, bokmål first.
var Forms = []Form{Bokmal, Nynorsk}

// Category is the data category a person's preferred form belongs to: a
// contact detail, like the address the letter goes to.
func (Form) Category() access.Category { return access.Basic }

// Lang is the form's language tag (BCP 47) for HTML and PDF.
func (f Form) Lang() string {
	if f == Nynorsk {
		return "nn"
	}
	return "nb"
}

// Policy is the municipality's decision on its written form (språklova
// § 11): bokmål, nynorsk or neutral.
type Policy string

const (
	PolicyBokmal  Policy = "bokmal"
	PolicyNynorsk Policy = "nynorsk"
	PolicyNeutral Policy = "noytral"
)

// Policies are the choices a municipality has.
var Policies = []Policy{PolicyBokmal, PolicyNynorsk, PolicyNeutral}

// DefaultPolicy is bokmål: what Husly's letters were before a choice.
const DefaultPolicy = PolicyBokmal

// ParseForm reads a person's preferred form; "" means none (the
// municipality's form is used).
func ParseForm(s string) (Form, error) {
	switch Form(s) {
	case "", Bokmal, Nynorsk:
		return Form(s), nil
	}
	return "", invalid.Problem("skriftspråk: %q er ikke et skriftspråk Husly skriver brev på; velg «bokmal», «nynorsk» eller tomt (kommunens skriftspråk)", s)
}

// ParsePolicy reads a municipality's choice.
func ParsePolicy(s string) (Policy, error) {
	switch Policy(s) {
	case PolicyBokmal, PolicyNynorsk, PolicyNeutral:
		return Policy(s), nil
	}
	return "", invalid.Problem("kommunens skriftspråk: %q er ikke et gyldig valg; velg «bokmal», «nynorsk» eller «noytral» (språklova § 11)", s)
}

// Choose is the form of a letter: the person's wish when they have one,
// else the municipality's form. A neutral municipality writes bokmål to a
// person who has not asked for nynorsk, as most neutral municipalities do.
func Choose(p Policy, person Form) Form {
	if person != "" {
		return person
	}
	if p == PolicyNynorsk {
		return Nynorsk
	}
	return Bokmal
}

// OfMunicipality reads a municipality's choice.
func OfMunicipality(ctx context.Context, q store.Queryer, municipalityID int64) (Policy, error) {
	var p Policy
	err := q.QueryRowContext(ctx, "SELECT written_form FROM municipalities WHERE id = ?", municipalityID).Scan(&p)
	return p, err
}

// SetMunicipality records the municipality's choice (administrators); an
// unknown choice is refused and nothing is stored.
func SetMunicipality(ctx context.Context, q store.Queryer, a access.Actor, choice string) error {
	if a.Role != access.Admin {
		return access.ErrForbidden
	}
	p, err := ParsePolicy(choice)
	if err != nil {
		return err
	}
	before, err := OfMunicipality(ctx, q, a.MunicipalityID)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, "UPDATE municipalities SET written_form = ? WHERE id = ?", string(p), a.MunicipalityID); err != nil {
		return err
	}
	return audit.Record(ctx, q, audit.Entry{MunicipalityID: a.MunicipalityID, Actor: a.Label(), Action: "endre", Entity: "kommunens skriftspråk",
		EntityID: a.MunicipalityID, Before: map[string]string{"written_form": string(before)}, After: map[string]string{"written_form": string(p)}})
}
