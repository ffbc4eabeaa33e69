-- A due is owed by a tenant of its lease (see the PostgreSQL variant of
-- this migration, where one foreign key to the tenancy replaces two).
-- SQLite cannot change a table's keys without rebuilding it and the table
-- that refers to it, so it keeps its keys to the lease and the person and
-- checks the tenancy with triggers, for the same rule on both engines.
CREATE UNIQUE INDEX lease_tenants_municipality ON lease_tenants (lease_id, person_id, municipality_id);
CREATE TRIGGER arrears_dues_tenant_insert BEFORE INSERT ON arrears_dues
  WHEN NOT EXISTS (SELECT 1 FROM lease_tenants t WHERE t.lease_id = NEW.lease_id AND t.person_id = NEW.person_id AND t.municipality_id = NEW.municipality_id)
  BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: arrears_dues_tenant'); END;
CREATE TRIGGER arrears_dues_tenant_update BEFORE UPDATE OF lease_id, person_id, municipality_id ON arrears_dues
  WHEN NOT EXISTS (SELECT 1 FROM lease_tenants t WHERE t.lease_id = NEW.lease_id AND t.person_id = NEW.person_id AND t.municipality_id = NEW.municipality_id)
  BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed: arrears_dues_tenant'); END;
