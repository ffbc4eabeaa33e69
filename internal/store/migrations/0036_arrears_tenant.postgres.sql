-- A due is owed by a tenant of its lease: one foreign key to the tenancy
-- says that, where two (to the lease and to the person) said less. Every
-- path that writes a due already checks it (the import names the line, a
-- due by hand is refused). On PostgreSQL each foreign key is a check per
-- row, and an import of 50,000 dues spent more than a second on each, so
-- one check instead of two keeps it inside its five seconds. The tenancy
-- still refers to the lease and the person, in the same municipality.
-- SQLite keeps the two keys: it cannot change a table's keys without
-- rebuilding it and the table that refers to it, and its checks cost
-- little.
ALTER TABLE lease_tenants ADD CONSTRAINT lease_tenants_municipality UNIQUE (lease_id, person_id, municipality_id);
ALTER TABLE arrears_dues ADD CONSTRAINT arrears_dues_tenant FOREIGN KEY (lease_id, person_id, municipality_id)
  REFERENCES lease_tenants (lease_id, person_id, municipality_id);
ALTER TABLE arrears_dues DROP CONSTRAINT arrears_dues_lease_id_municipality_id_fkey;
ALTER TABLE arrears_dues DROP CONSTRAINT arrears_dues_person_id_municipality_id_fkey;
