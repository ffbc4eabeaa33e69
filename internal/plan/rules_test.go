package plan

import (
	"strings"
	"testing"
	"time"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

func text(p []invalid.Message) string {
	var b strings.Builder
	for _, m := range p {
		b.WriteString((&invalid.Error{Problems: []invalid.Message{m}}).Error())
		b.WriteString("\n")
	}
	return b.String()
}

func TestCheck(t *testing.T) {
	start, today := deadline.Of(2026, 10, 1), deadline.Of(2026, 12, 6)
	goal := GoalInput{Words: "Jeg vil jobbe", Area: AreaWork, Dimensions: []Dimension{Meaning}}
	for _, c := range []struct {
		name string
		in   Input
		want string
	}{
		{"no goal", Input{Kind: ActionPlan, Start: start}, "minst ett mål"},
		{"review before start", Input{Kind: ActionPlan, Start: start, FirstReview: start.AddDays(-1), Goal: goal}, "kan ikke være før planen starter"},
		{"before the follow-up", Input{Kind: ActionPlan, Start: start.AddDays(-1), Goal: goal}, "før oppfølgingen startet"},
		{"IP without consent", Input{Kind: Individual, Start: start, Goal: goal}, "bare med personens samtykke"},
		{"crisis without signs", Input{Kind: Crisis, Start: start, WhatHelps: "x", WhoToCall: "y"}, "varseltegnene"},
		{"unknown dimension", Input{Kind: ActionPlan, Start: start, Goal: GoalInput{Words: "x", Area: AreaHome, Dimensions: []Dimension{"lykke"}}}, "ukjent dimensjon"},
		{"ok", Input{Kind: ActionPlan, Start: start, Goal: goal}, ""},
		{"group needs no goal", Input{Kind: Group, Start: start}, ""},
	} {
		got := text(Check(c.in, start, today))
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestNoProgress(t *testing.T) {
	d := deadline.Of(2026, 11, 1)
	if NoProgress(deadline.Date{}, d, nil) {
		t.Error("the first meeting is flagged")
	}
	if !NoProgress(d, d.AddDays(30), []deadline.Date{d.AddDays(-1)}) {
		t.Error("a task done before the last meeting counts")
	}
	if NoProgress(d, d.AddDays(30), []deadline.Date{d.AddDays(10)}) {
		t.Error("a task done between the meetings is not seen")
	}
}

func TestRoutes(t *testing.T) {
	rs := DefaultOutOfHours()
	at := func(h int) []string {
		var out []string
		for _, r := range RoutesAt(rs, time.Date(2026, 12, 6, h, 0, 0, 0, time.UTC)) {
			out = append(out, r.Phone)
		}
		return out
	}
	if got := strings.Join(at(21), ","); got != "113,116 117,116 111" {
		t.Errorf("at 21: %s", got)
	}
	if got := strings.Join(at(12), ","); got != "113" {
		t.Errorf("at 12: %s", got)
	}
	if got := strings.Join(at(17), ","); got != "113,116 117" {
		t.Errorf("at 17 (barnevernsvakt only after 20): %s", got)
	}
}

func TestAddMonths(t *testing.T) {
	if got := AddMonths(deadline.Of(2026, 1, 31), 1); got != deadline.Of(2026, 2, 28) {
		t.Errorf("31 January + 1 month: %s", got)
	}
	if got := AddMonths(deadline.Of(2026, 11, 15), 2); got != deadline.Of(2027, 1, 15) {
		t.Errorf("15 November + 2: %s", got)
	}
}
