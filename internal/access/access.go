// Package access holds who is acting: the roles staff and residents have,
// local passwords, and the Actor every query for personal data takes.
package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

// Role is what a user does in the municipality.
type Role string

const (
	CaseWorker Role = "saksbehandler"
	Property   Role = "eiendom"
	FollowUp   Role = "oppfolging"
	UnitLeader Role = "enhetsleder"
	Planner    Role = "planlegger"
	Admin      Role = "systemadministrator"
	Resident   Role = "beboer"
	Auditor    Role = "tilsyn"
	// Operator is the command line run by whoever operates Husly: imports,
	// exports and backups. It is not a login role.
	Operator Role = "drift"
)

// FirstLogin is the identity under which a resident's first ID-porten
// login makes their resident account: the operator's role, named for the
// audit chain, acting in the municipality where the person is registered.
func FirstLogin(municipalityID int64) Actor {
	return Actor{MunicipalityID: municipalityID, Username: "idporten", Name: "ID-porten (første innlogging)", Role: Operator}
}

// Roles lists every role in the order the UI shows them.
var Roles = []Role{CaseWorker, Property, FollowUp, UnitLeader, Planner, Admin, Resident, Auditor}

// ParseRole accepts a role's code.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("ukjent rolle %q", s)
}

// Actor is the signed-in user on whose behalf a query runs. Queries that
// return data are scoped to Actor.MunicipalityID; no query crosses
// municipalities.
type Actor struct {
	// PersonID is set for residents: the person the login belongs to.
	PersonID int64
	// Reason is an auditor's stated purpose for this session's reads.
	Reason         string
	UserID         int64
	MunicipalityID int64
	OrgUnitID      int64
	Username       string
	Name           string
	OrgUnitName    string
	// Role is what the actor may do: one of the built-in roles.
	Role Role
	// RoleCode is the municipality's role the user holds (a built-in role or
	// one the municipality added on top of one); the matrix row is its.
	RoleCode string
}

// MatrixRole is the actor's row in the category matrix.
func (a Actor) MatrixRole() Role {
	if a.RoleCode != "" {
		return Role(a.RoleCode)
	}
	return a.Role
}

// SeesPersons reports whether the role may see named persons at all.
// Planners see aggregates only and administrators configure without
// personal data.
func (a Actor) SeesPersons() bool {
	return a.Role != Planner && a.Role != Admin && a.Role != Resident
}

// Writes reports whether the role registers and changes data about
// persons. Auditors read only; planners and administrators never touch
// named persons.
func (a Actor) Writes() bool {
	return a.Role == CaseWorker || a.Role == Property || a.Role == FollowUp || a.Role == UnitLeader
}

// ErrForbidden is returned when the actor may not see or do something.
var ErrForbidden = errors.New("du har ikke tilgang til dette")

// Password hashing: argon2id with the parameters OWASP recommends for
// interactive logins (19 MiB, 2 passes), encoded in the PHC string format.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashTime and hashMemory are the cost HashPassword uses: OWASP's, unless
// a test binary lowered them (UseTestHashing).
var hashTime, hashMemory uint32 = argonTime, argonMemory

// UseTestHashing makes HashPassword cheap (one pass over 64 KiB) for the
// rest of the process: a test suite that creates and signs in hundreds of
// users otherwise spends minutes in argon2, most of all under the race
// detector. The cost is written into each hash and CheckPassword reads it
// from there, so both kinds verify. It panics outside a test binary, so a
// server always hashes at the full cost.
func UseTestHashing() {
	if !testing.Testing() {
		panic("access: UseTestHashing outside a test binary")
	}
	hashTime, hashMemory = 1, 64
}

// HashPassword returns an argon2id PHC string for password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, hashTime, hashMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, hashMemory, hashTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC string.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 || m > 1<<20 || t > 10 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want))) //nolint:gosec // at most 64, checked above
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckPasswordRules applies NSM's guidance: length over complexity, at
// least 12 characters, not only one repeated character.
func CheckPasswordRules(password string) error {
	if len([]rune(password)) < 12 {
		return errors.New("passordet må ha minst 12 tegn")
	}
	if strings.Count(password, password[:1]) == len(password) {
		return errors.New("passordet kan ikke bestå av ett tegn gjentatt")
	}
	return nil
}

// UserRef is the actor's user id for a column naming who did something,
// or NULL for the command line and other actors without a user.
func (a Actor) UserRef() any {
	if a.UserID == 0 {
		return nil
	}
	return a.UserID
}
