-- The access log keeps one entry per request instead of one row per
-- person: a list or search of 50 persons wrote 50 rows, each a link of
-- the municipality's MAC chain, so logging cost more than the read. An
-- entry (access_log) is who read, when, where and why, and its chain link;
-- access_log_persons holds each person read in it with the categories and
-- the basis, and the entry's MAC covers them all. A person's own view of
-- who read them walks access_log_persons by (municipality, person).
--
-- persons is the number of persons an entry lists; entries written before
-- this migration leave it NULL and keep their one person in their own
-- columns (their MAC covers those), copied below to access_log_persons so
-- every reader reads one shape. New entries leave person_id 0 and
-- categories and basis empty.
ALTER TABLE access_log ADD COLUMN persons INTEGER;

-- No foreign key: a key check per person read would cost what this
-- migration saves on PostgreSQL. The MAC covers each entry's persons, and
-- verification reports persons belonging to no entry.
CREATE TABLE access_log_persons (
  entry_id        BIGINT NOT NULL,
  position        INTEGER NOT NULL,
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  categories      TEXT NOT NULL,
  basis           TEXT NOT NULL,
  PRIMARY KEY (entry_id, position)
);

INSERT INTO access_log_persons (entry_id, position, municipality_id, person_id, categories, basis)
  SELECT id, 0, municipality_id, person_id, categories, basis FROM access_log;

-- One person at most once per entry, so the entry paginates a person's log.
CREATE UNIQUE INDEX access_log_persons_person ON access_log_persons (municipality_id, person_id, entry_id);
DROP INDEX access_log_person;

CREATE TRIGGER access_log_persons_append_only BEFORE UPDATE OR DELETE ON access_log_persons
  FOR EACH ROW EXECUTE FUNCTION husly_append_only();

-- One row per person read, as the log was before: for reports and for
-- anyone reading the log by hand.
CREATE VIEW access_reads AS
  SELECT l.id, l.municipality_id, l.at, l.user_id, l.user_name, l.org_unit_name, p.person_id, p.categories, p.basis, l.channel, l.reason, l.seq
  FROM access_log l JOIN access_log_persons p ON p.entry_id = l.id;
