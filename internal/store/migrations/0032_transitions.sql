-- Safe transitions and keeping the home: the transitions register (who
-- leaves an institution, prison, child welfare or temporary housing, and
-- whether they get a safe home: seed 002's minimum requirement), stays in
-- temporary housing (sosialtjenesteloven § 27), and the visits after
-- moving in and the periodic home checks with their findings. Staff are
-- named by user id with a name snapshot.

-- The municipality's own limits; without a row the built-in defaults
-- (transition.DefaultSettings, with their sources) apply.
CREATE TABLE transition_settings (
  municipality_id    BIGINT PRIMARY KEY REFERENCES municipalities(id),
  visit_weeks        INTEGER NOT NULL,
  check_months       INTEGER NOT NULL,
  stay_days          INTEGER NOT NULL,
  family_stay_days   INTEGER NOT NULL,
  source             TEXT NOT NULL,
  updated_by         TEXT NOT NULL,
  updated_at         {{TIMESTAMP}} NOT NULL,
  CHECK (visit_weeks > 0 AND check_months > 0 AND stay_days > 0 AND family_stay_days > 0)
);

-- A person expected to leave somewhere on a date. The kind reveals a
-- category of its own (institution: health; prison: see package
-- transition; child welfare: household), tagged by the reads.
CREATE TABLE transitions (
  id               {{ID}},
  municipality_id  BIGINT NOT NULL,
  person_id        BIGINT NOT NULL,
  kind             TEXT NOT NULL,
  -- What the kind reveals (transition.Kind.Category), kept on the row so
  -- the dossier, the timeline and the checks read it from one place.
  category         TEXT NOT NULL,
  leaving_on       {{DATE}} NOT NULL,
  responsible_id   BIGINT NOT NULL,
  responsible_name TEXT NOT NULL,
  meeting_on       {{DATE}},
  meeting_with     TEXT NOT NULL DEFAULT '',
  outcome          TEXT NOT NULL DEFAULT '',
  outcome_on       {{DATE}},
  contact_id       BIGINT,
  created_by       TEXT NOT NULL,
  created_at       {{TIMESTAMP}} NOT NULL,
  CHECK ((kind IN ('institusjon', 'fengsel') AND category = 'helse') OR (kind = 'barnevern' AND category = 'husstand')
    OR (kind = 'midlertidig' AND category = 'boligbehov')),
  CHECK (outcome IN ('', 'trygg_bolig', 'midlertidig', 'ingenting')),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (responsible_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX transitions_open ON transitions (municipality_id, outcome, leaving_on);
CREATE INDEX transitions_responsible ON transitions (responsible_id, outcome, leaving_on);
CREATE INDEX transitions_person ON transitions (person_id);

-- A stay in temporary housing (sosialtjenesteloven § 27). Price in whole
-- kroner per night; children is how many children live with the person.
CREATE TABLE temporary_stays (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  place           TEXT NOT NULL,
  owner           TEXT NOT NULL,
  quality_assured BOOLEAN NOT NULL DEFAULT FALSE,
  start_on        {{DATE}} NOT NULL,
  end_on          {{DATE}},
  price_per_night INTEGER NOT NULL,
  children        INTEGER NOT NULL DEFAULT 0,
  route_out       TEXT NOT NULL DEFAULT '',
  created_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (price_per_night >= 0 AND children >= 0),
  CHECK (end_on IS NULL OR end_on >= start_on),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX temporary_stays_open ON temporary_stays (municipality_id, end_on, start_on);
CREATE INDEX temporary_stays_person ON temporary_stays (person_id);

-- A visit after moving in or a periodic home check of a lease, with the
-- tenant it was made with.
CREATE TABLE home_checks (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  lease_id        BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  done_on         {{DATE}} NOT NULL,
  done_by         TEXT NOT NULL,
  done_by_id      BIGINT,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('etter_innflytting', 'periodisk')),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX home_checks_lease ON home_checks (lease_id, done_on);

-- One checklist item: ok or a finding with a note. A finding is a task
-- for property staff (technical items) or the follow-up team (the rest)
-- until it is marked done.
CREATE TABLE home_check_items (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  check_id        BIGINT NOT NULL,
  item            TEXT NOT NULL,
  -- What the item reveals (homecheck.Item.Category): the home's state is
  -- tenancy data, furniture and practical needs the housing need.
  category        TEXT NOT NULL,
  finding         BOOLEAN NOT NULL DEFAULT FALSE,
  note            TEXT NOT NULL DEFAULT '',
  task_for        TEXT NOT NULL,
  done_on         {{DATE}},
  done_by         TEXT NOT NULL DEFAULT '',
  CHECK (task_for IN ('eiendom', 'oppfolging')),
  UNIQUE (check_id, item),
  FOREIGN KEY (check_id, municipality_id) REFERENCES home_checks(id, municipality_id)
);
CREATE INDEX home_check_tasks ON home_check_items (municipality_id, task_for, finding, done_on);
