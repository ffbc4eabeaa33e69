-- The start page's figures (persons, units by category and by status,
-- active leases) kept up to date by triggers, so that a view reads a few
-- rows by primary key instead of counting every person and unit. The table
-- is derived: it is not in the backup, and a restore rebuilds it because
-- its inserts fire the same triggers.
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

CREATE TRIGGER counters_persons_insert AFTER INSERT ON persons BEGIN
  INSERT INTO counters (municipality_id, name, code, n) VALUES (NEW.municipality_id, 'persons', '', 1)
    ON CONFLICT (municipality_id, name, code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counters_persons_delete AFTER DELETE ON persons BEGIN
  UPDATE counters SET n = n - 1 WHERE municipality_id = OLD.municipality_id AND name = 'persons' AND code = '';
END;

CREATE TRIGGER counters_units_insert AFTER INSERT ON units BEGIN
  INSERT INTO counters (municipality_id, name, code, n) VALUES (NEW.municipality_id, 'unit_category', NEW.category, 1)
    ON CONFLICT (municipality_id, name, code) DO UPDATE SET n = n + 1;
  INSERT INTO counters (municipality_id, name, code, n) VALUES (NEW.municipality_id, 'unit_status', NEW.status, 1)
    ON CONFLICT (municipality_id, name, code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counters_units_delete AFTER DELETE ON units BEGIN
  UPDATE counters SET n = n - 1 WHERE municipality_id = OLD.municipality_id AND name = 'unit_category' AND code = OLD.category;
  UPDATE counters SET n = n - 1 WHERE municipality_id = OLD.municipality_id AND name = 'unit_status' AND code = OLD.status;
END;
CREATE TRIGGER counters_units_update AFTER UPDATE OF category, status ON units
  WHEN OLD.category IS NOT NEW.category OR OLD.status IS NOT NEW.status BEGIN
  UPDATE counters SET n = n - 1 WHERE municipality_id = OLD.municipality_id AND name = 'unit_category' AND code = OLD.category;
  UPDATE counters SET n = n - 1 WHERE municipality_id = OLD.municipality_id AND name = 'unit_status' AND code = OLD.status;
  INSERT INTO counters (municipality_id, name, code, n) VALUES (NEW.municipality_id, 'unit_category', NEW.category, 1)
    ON CONFLICT (municipality_id, name, code) DO UPDATE SET n = n + 1;
  INSERT INTO counters (municipality_id, name, code, n) VALUES (NEW.municipality_id, 'unit_status', NEW.status, 1)
    ON CONFLICT (municipality_id, name, code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counters_leases_insert AFTER INSERT ON leases WHEN NEW.status = 'aktiv' BEGIN
  INSERT INTO counters (municipality_id, name, code, n) VALUES (NEW.municipality_id, 'active_leases', '', 1)
    ON CONFLICT (municipality_id, name, code) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER counters_leases_delete AFTER DELETE ON leases WHEN OLD.status = 'aktiv' BEGIN
  UPDATE counters SET n = n - 1 WHERE municipality_id = OLD.municipality_id AND name = 'active_leases' AND code = '';
END;
CREATE TRIGGER counters_leases_update AFTER UPDATE OF status ON leases
  WHEN (OLD.status = 'aktiv') <> (NEW.status = 'aktiv') BEGIN
  INSERT INTO counters (municipality_id, name, code, n)
    VALUES (NEW.municipality_id, 'active_leases', '', CASE WHEN NEW.status = 'aktiv' THEN 1 ELSE -1 END)
    ON CONFLICT (municipality_id, name, code) DO UPDATE SET n = n + excluded.n;
END;
