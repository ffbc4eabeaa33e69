-- The start page's figures (persons, units by category and by status,
-- active leases) kept up to date by triggers, so that a view reads a few
-- rows by primary key instead of counting every person and unit. The table
-- is derived: it is not in the backup, and a restore rebuilds it because
-- its inserts fire the same triggers. The triggers run once per statement
-- over its transition table, so a bulk insert (COPY) adds one update per
-- municipality and figure, not one per row.
CREATE TABLE counters (
  municipality_id BIGINT NOT NULL,
  name            TEXT NOT NULL,
  code            TEXT NOT NULL DEFAULT '',
  n               BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (municipality_id, name, code)
);
INSERT INTO counters (municipality_id, name, code, n)
  SELECT municipality_id, 'persons', '', COUNT(*) FROM persons GROUP BY municipality_id;
INSERT INTO counters (municipality_id, name, code, n)
  SELECT municipality_id, 'unit_category', category, COUNT(*) FROM units GROUP BY municipality_id, category;
INSERT INTO counters (municipality_id, name, code, n)
  SELECT municipality_id, 'unit_status', status, COUNT(*) FROM units GROUP BY municipality_id, status;
INSERT INTO counters (municipality_id, name, code, n)
  SELECT municipality_id, 'active_leases', '', COUNT(*) FROM leases WHERE status = 'aktiv' GROUP BY municipality_id;

CREATE FUNCTION husly_counters_add(mid BIGINT, what TEXT, c TEXT, k BIGINT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO counters (municipality_id, name, code, n) VALUES (mid, what, c, k)
  ON CONFLICT (municipality_id, name, code) DO UPDATE SET n = counters.n + EXCLUDED.n
$$;

-- Each function reads old_rows on UPDATE and DELETE and new_rows on INSERT
-- and UPDATE; PL/pgSQL plans a statement only when it runs, so the branch
-- naming a transition table the trigger lacks is never planned.
CREATE FUNCTION husly_counters_persons() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM husly_counters_add(municipality_id, 'persons', '', -COUNT(*)) FROM old_rows GROUP BY municipality_id;
  ELSE
    PERFORM husly_counters_add(municipality_id, 'persons', '', COUNT(*)) FROM new_rows GROUP BY municipality_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER counters_persons_insert AFTER INSERT ON persons REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION husly_counters_persons();
CREATE TRIGGER counters_persons_delete AFTER DELETE ON persons REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION husly_counters_persons();

CREATE FUNCTION husly_counters_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM husly_counters_add(municipality_id, 'unit_category', category, -COUNT(*)) FROM old_rows GROUP BY municipality_id, category;
    PERFORM husly_counters_add(municipality_id, 'unit_status', status, -COUNT(*)) FROM old_rows GROUP BY municipality_id, status;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM husly_counters_add(municipality_id, 'unit_category', category, COUNT(*)) FROM new_rows GROUP BY municipality_id, category;
    PERFORM husly_counters_add(municipality_id, 'unit_status', status, COUNT(*)) FROM new_rows GROUP BY municipality_id, status;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER counters_units_insert AFTER INSERT ON units REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION husly_counters_units();
CREATE TRIGGER counters_units_update AFTER UPDATE ON units REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION husly_counters_units();
CREATE TRIGGER counters_units_delete AFTER DELETE ON units REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION husly_counters_units();

CREATE FUNCTION husly_counters_leases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM husly_counters_add(municipality_id, 'active_leases', '', -COUNT(*)) FROM old_rows WHERE status = 'aktiv' GROUP BY municipality_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM husly_counters_add(municipality_id, 'active_leases', '', COUNT(*)) FROM new_rows WHERE status = 'aktiv' GROUP BY municipality_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER counters_leases_insert AFTER INSERT ON leases REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION husly_counters_leases();
CREATE TRIGGER counters_leases_update AFTER UPDATE ON leases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION husly_counters_leases();
CREATE TRIGGER counters_leases_delete AFTER DELETE ON leases REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION husly_counters_leases();
