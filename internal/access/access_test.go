package access

import "testing"

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("korrekt hest batteri stift")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "korrekt hest batteri stift") {
		t.Fatal("right password refused")
	}
	if CheckPassword(h, "feil passord") {
		t.Fatal("wrong password accepted")
	}
	if CheckPassword("$argon2id$garbage", "x") {
		t.Fatal("garbage hash accepted")
	}
}

func TestPasswordRules(t *testing.T) {
	for pw, ok := range map[string]bool{"kort": false, "aaaaaaaaaaaaaa": false, "lang nok setning": true} {
		if err := CheckPasswordRules(pw); (err == nil) != ok {
			t.Errorf("CheckPasswordRules(%q) = %v", pw, err)
		}
	}
}

func TestRoles(t *testing.T) {
	for _, r := range Roles {
		if got, err := ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%q) = %v, %v", r, got, err)
		}
	}
	if (Actor{Role: Planner}).SeesPersons() || !(Actor{Role: CaseWorker}).SeesPersons() {
		t.Fatal("planner must see aggregates only")
	}
}
