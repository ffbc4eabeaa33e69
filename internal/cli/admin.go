package cli

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"husly/internal/access"
	"husly/internal/org"
	"husly/internal/store"
	"husly/internal/web"
)

func migrate(e *env, args []string) error {
	fs := e.flags("migrate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := e.open() // Open migrates
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(e.stdout, e.t("cli.migrated", db.Location, store.SchemaVersion()))
	return nil
}

func municipality(e *env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "list") {
		return exitError{2, e.t("cli.municipality.usage")}
	}
	fs := e.flags("municipality " + args[0])
	number := fs.String("number", "", "kommunenummer, four digits")
	name := fs.String("name", "", "the municipality's name")
	inhabitants := fs.Int("inhabitants", 0, "number of inhabitants")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "list" {
		ms, err := org.ListMunicipalities(e.ctx, db)
		for _, m := range ms {
			fmt.Fprintf(e.stdout, "%s  %s\n", m.Number, m.Name)
		}
		return err
	}
	if _, err := org.CreateMunicipality(e.ctx, db, operator(0), org.Municipality{Number: *number, Name: *name, Inhabitants: *inhabitants}); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.t("cli.municipality.added", *name, *number))
	return nil
}

// user adds a user; the password is read from standard input so it never
// stands in the shell history.
func userCmd(e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return exitError{2, e.t("cli.user.usage")}
	}
	fs := e.flags("user add")
	username := fs.String("username", "", "login name")
	name := fs.String("name", "", "full name")
	role := fs.String("role", string(access.CaseWorker), "role code: "+roleList()+", or one the municipality has added")
	kommune := fs.String("kommune", "", "kommunenummer")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	line, _ := bufio.NewReader(e.stdin).ReadString('\n')
	password := strings.TrimRight(line, "\r\n")
	if err := access.CheckPasswordRules(password); err != nil {
		return errors.New(e.t("cli.user.password", e.errorText(err)))
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := municipalityFor(e, db, *kommune)
	if err != nil {
		return err
	}
	hash, err := access.HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := org.CreateUser(e.ctx, db, operator(m.ID), org.User{MunicipalityID: m.ID, Username: *username, FullName: *name, RoleCode: *role, PasswordHash: hash}); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.t("cli.user.added", *username, *role, m.Name))
	return nil
}

func roleList() string {
	names := make([]string, len(access.Roles))
	for i, r := range access.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func token(e *env, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "revoke") {
		return exitError{2, e.t("cli.token.usage")}
	}
	fs := e.flags("token " + args[0])
	username := fs.String("user", "", "the user the token acts as")
	name := fs.String("name", "integrasjon", "what the token is for")
	days := fs.Int("days", 90, "days until the token expires, 1–730")
	id := fs.Int64("id", 0, "token id to revoke")
	scope := fs.String("scope", "les", `what the token may do: "les" (read) or "les,skriv" (read and change)`)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "revoke" {
		res, err := db.ExecContext(e.ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", store.TimeArg(time.Now()), *id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errors.New(e.t("cli.token.none", *id))
		}
		fmt.Fprintln(e.stdout, e.t("cli.token.revoked", *id))
		return nil
	}
	// Every token expires: a negative or zero count would make one that never does.
	if *days < 1 || *days > 730 {
		return exitError{2, e.t("cli.token.days", *days)}
	}
	if *scope != "les" && *scope != "les,skriv" {
		return errors.New(e.t("cli.token.scope", *scope))
	}
	u, err := org.UserByUsername(e.ctx, db, *username)
	if err != nil {
		return errors.New(e.t("cli.no_user", *username))
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := "husly_" + base64.RawURLEncoding.EncodeToString(raw)
	expires := time.Now().AddDate(0, 0, *days)
	tid, err := store.InsertID(e.ctx, db, `INSERT INTO api_tokens (municipality_id, user_id, name, token_hash, scopes, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.MunicipalityID, u.ID, *name, web.HashToken(secret), *scope, store.TimeArg(time.Now()), store.TimeArg(expires))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, e.t("cli.token.made", tid, u.Username))
	fmt.Fprintln(e.stdout, secret)
	return nil
}
