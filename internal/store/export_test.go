package store

import (
	"context"
	"io/fs"
)

// MigrateFrom runs the migrations in fsys (a "migrations" folder), so tests
// can present the runner with an edited copy of the released files.
func (db *DB) MigrateFrom(ctx context.Context, fsys fs.FS) error { return db.migrate(ctx, fsys) }

// MigrationFiles are the released migrations compiled into Husly.
var MigrationFiles fs.FS = migrationFiles
