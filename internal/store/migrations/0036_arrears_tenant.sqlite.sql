-- A due is owed by a tenant of its lease. On PostgreSQL one foreign key to
-- the tenancy replaces the two to the lease and the person (see that
-- variant of this migration). SQLite cannot change a table's keys without
-- rebuilding it and the table that refers to it, so it keeps its two keys;
-- the tenancy is checked where every due is written (the import names the
-- line, a due by hand is refused). The index matches PostgreSQL's, so both
-- engines hold the same constraints on the tenancy.
CREATE UNIQUE INDEX lease_tenants_municipality ON lease_tenants (lease_id, person_id, municipality_id);
