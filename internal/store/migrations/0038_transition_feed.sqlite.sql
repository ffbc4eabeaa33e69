-- A transition fed from a contact or a mapping is the responsibility of
-- the case's case worker, or of the unit that received the person when the
-- case has none: responsible_id or responsible_unit_id, never neither.
-- SQLite cannot drop a NOT NULL, so the table is rebuilt (nothing refers
-- to it) with the same rows.
CREATE TABLE transitions_fed (
  id                  {{ID}},
  municipality_id     BIGINT NOT NULL,
  person_id           BIGINT NOT NULL,
  kind                TEXT NOT NULL,
  category            TEXT NOT NULL,
  leaving_on          {{DATE}} NOT NULL,
  responsible_id      BIGINT,
  responsible_name    TEXT NOT NULL,
  meeting_on          {{DATE}},
  meeting_with        TEXT NOT NULL DEFAULT '',
  outcome             TEXT NOT NULL DEFAULT '',
  outcome_on          {{DATE}},
  contact_id          BIGINT,
  created_by          TEXT NOT NULL,
  created_at          {{TIMESTAMP}} NOT NULL,
  responsible_unit_id BIGINT,
  institution_kind    TEXT NOT NULL DEFAULT '',
  CHECK ((kind IN ('institusjon', 'fengsel') AND category = 'helse') OR (kind = 'barnevern' AND category = 'husstand')
    OR (kind = 'midlertidig' AND category = 'boligbehov')),
  CHECK (outcome IN ('', 'trygg_bolig', 'midlertidig', 'ingenting')),
  CHECK (responsible_id IS NOT NULL OR responsible_unit_id IS NOT NULL),
  CHECK (institution_kind = '' OR (kind = 'institusjon' AND institution_kind IN ('behandling', 'annen'))
    OR (kind = 'barnevern' AND institution_kind = 'barnevern')),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (responsible_id, municipality_id) REFERENCES users(id, municipality_id),
  FOREIGN KEY (responsible_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);
INSERT INTO transitions_fed (id, municipality_id, person_id, kind, category, leaving_on, responsible_id, responsible_name, meeting_on, meeting_with,
  outcome, outcome_on, contact_id, created_by, created_at)
  SELECT id, municipality_id, person_id, kind, category, leaving_on, responsible_id, responsible_name, meeting_on, meeting_with,
  outcome, outcome_on, contact_id, created_by, created_at FROM transitions;
DROP TABLE transitions;
ALTER TABLE transitions_fed RENAME TO transitions;
CREATE INDEX transitions_open ON transitions (municipality_id, outcome, leaving_on);
CREATE INDEX transitions_responsible ON transitions (responsible_id, outcome, leaving_on);
CREATE INDEX transitions_person ON transitions (person_id);
CREATE INDEX transitions_unit ON transitions (responsible_unit_id, outcome, leaving_on);
