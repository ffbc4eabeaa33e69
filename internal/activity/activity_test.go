package activity

import (
	"strings"
	"testing"

	"husly/internal/deadline"
	"husly/internal/invalid"
)

func has(ms []invalid.Message, part string) bool {
	for _, m := range ms {
		if strings.Contains(m.String(), part) {
			return true
		}
	}
	return false
}

var today = deadline.Of(2026, 12, 6)

func TestCheckActivity(t *testing.T) {
	good := Input{TeamID: 1, Title: "Boligskolen: budsjett", Kind: CourseEconomy, On: today.AddDays(2), Start: "18:00", Minutes: 90, Place: "Kaffekroken", Capacity: 8}
	if p := CheckActivity(good, today); len(p) != 0 {
		t.Fatalf("a good course refused: %v", p)
	}
	for name, c := range map[string]struct {
		change func(*Input)
		want   string
	}{
		"in the past":   {func(i *Input) { i.On = today.AddDays(-1) }, "dato:"},
		"no title":      {func(i *Input) { i.Title = " " }, "tittel:"},
		"unknown kind":  {func(i *Input) { i.Kind = "fest" }, "type:"},
		"bad time":      {func(i *Input) { i.Start = "25:00" }, "klokkeslett:"},
		"no place":      {func(i *Input) { i.Place = "" }, "sted:"},
		"no places":     {func(i *Input) { i.Capacity = 0 }, "plasser:"},
		"too many":      {func(i *Input) { i.Capacity = MaxCapacity + 1 }, "plasser:"},
		"no length":     {func(i *Input) { i.Minutes = 0 }, "varighet:"},
		"no day at all": {func(i *Input) { i.On = deadline.Date{} }, "dato: velg"},
	} {
		in := good
		c.change(&in)
		if p := CheckActivity(in, today); !has(p, c.want) {
			t.Errorf("%s: %v, want %q", name, p, c.want)
		}
	}
	if !CourseCooking.Course() || Outing.Course() {
		t.Error("the housing-school courses are the courses")
	}
}

func TestCheckSignup(t *testing.T) {
	a := Activity{ID: 1, On: today.AddDays(3), Capacity: 2, SignedUp: 1}
	if p := CheckSignup(a, Signup{}, true, false, today); len(p) != 0 {
		t.Fatalf("the resident signs up: %v", p)
	}
	if p := CheckSignup(a, Signup{}, false, false, today); !has(p, "samtykke:") {
		t.Errorf("staff without the resident's yes: %v", p)
	}
	if p := CheckSignup(a, Signup{}, false, true, today); len(p) != 0 {
		t.Errorf("staff with the resident's yes: %v", p)
	}
	full := a
	full.SignedUp = 2
	if p := CheckSignup(full, Signup{}, true, false, today); !has(p, "aktiviteten er full (2 av 2") {
		t.Errorf("above capacity: %v", p)
	}
	// A withdrawn sign-up gives the place back: signing up again needs a free place.
	if p := CheckSignup(a, Signup{ID: 5, Status: Withdrawn}, true, false, today); len(p) != 0 {
		t.Errorf("signing up again: %v", p)
	}
	if p := CheckSignup(a, Signup{ID: 5, Status: SignedUp}, true, false, today); !has(p, "allerede påmeldt") {
		t.Errorf("twice: %v", p)
	}
	past := a
	past.On = today.AddDays(-1)
	if p := CheckSignup(past, Signup{}, true, false, today); !has(p, "er over") {
		t.Errorf("in the past: %v", p)
	}
	if p := CheckWithdraw(a, Signup{}, today); !has(p, "ikke påmeldt") {
		t.Errorf("withdraw without a sign-up: %v", p)
	}
}

func TestCheckAttendance(t *testing.T) {
	a := Activity{ID: 1, On: today.AddDays(-1), Capacity: 5}
	signed := map[int64]Signup{7: {ID: 1, PersonID: 7, Status: SignedUp}, 8: {ID: 2, PersonID: 8, Status: Withdrawn}}
	if p := CheckAttendance(a, signed, []Mark{{7, false}}, today); len(p) != 0 {
		t.Fatalf("not coming is recorded like coming: %v", p)
	}
	if p := CheckAttendance(a, signed, []Mark{{8, true}}, today); !has(p, "person 8 er ikke påmeldt") {
		t.Errorf("a withdrawn person: %v", p)
	}
	if p := CheckAttendance(a, signed, []Mark{{9, true}}, today); !has(p, "person 9 er ikke påmeldt") {
		t.Errorf("someone never signed up: %v", p)
	}
	ahead := a
	ahead.On = today.AddDays(1)
	if p := CheckAttendance(ahead, signed, []Mark{{7, true}}, today); !has(p, "føres etter aktiviteten") {
		t.Errorf("before the day: %v", p)
	}
	if p := CheckAttendance(a, signed, []Mark{{7, true}, {7, false}}, today); !has(p, "to ganger") {
		t.Errorf("twice: %v", p)
	}
}
