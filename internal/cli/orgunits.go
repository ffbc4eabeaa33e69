package cli

import (
	"fmt"

	"husly/internal/org"
	"husly/internal/store"
)

// orgCmd lists a municipality's units with the unit each sits under, and
// places a unit under another: emergency access with no leader in a unit
// to review it goes up this line, and to the auditor at the top.
func orgCmd(e *env, args []string) error {
	usage := exitError{2, e.t("cli.org.usage")}
	if len(args) == 0 || (args[0] != "list" && args[0] != "parent") {
		return usage
	}
	fs := e.flags("org " + args[0])
	kommune := fs.String("kommune", "", "kommunenummer")
	unit := fs.String("unit", "", "the unit's name")
	parent := fs.String("parent", "", "the name of the unit it sits under (empty: a top unit)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
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
	units, err := org.ListUnits(e.ctx, db, m.ID)
	if err != nil {
		return err
	}
	if args[0] == "list" {
		names := map[int64]string{}
		for _, u := range units {
			names[u.ID] = u.Name
		}
		for _, u := range units {
			line := u.Name
			if u.ParentID != 0 {
				line = e.t("cli.org.under", line, names[u.ParentID])
			}
			fmt.Fprintln(e.stdout, line)
		}
		return nil
	}
	if *unit == "" {
		return usage
	}
	child, err := org.UnitByName(e.ctx, db, m.ID, *unit)
	if err != nil {
		return err
	}
	var parentID int64
	if *parent != "" {
		p, err := org.UnitByName(e.ctx, db, m.ID, *parent)
		if err != nil {
			return err
		}
		parentID = p.ID
	}
	if err := db.InTx(e.ctx, func(tx *store.Tx) error { return org.SetParent(e.ctx, tx, operator(m.ID), child.ID, parentID) }); err != nil {
		return err
	}
	if parentID == 0 {
		fmt.Fprintln(e.stdout, e.t("cli.org.top", child.Name))
	} else {
		fmt.Fprintln(e.stdout, e.t("cli.org.moved", child.Name, *parent))
	}
	return nil
}
