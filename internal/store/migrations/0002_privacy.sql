-- Privacy you can prove: who may see what (by relationship and consent),
-- a log of every read, and a hash-chained log of every change.

-- The roles of a municipality: the eight built-in ones and any the
-- municipality adds (say "NAV-veileder" beside the housing office's case
-- worker). Each builds on a built-in role for what it may do; what it may
-- see is its own row in the matrix. users.role holds the code.
CREATE TABLE roles (
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  code            TEXT NOT NULL,
  label           TEXT NOT NULL,
  base            TEXT NOT NULL,
  PRIMARY KEY (municipality_id, code)
);

-- Which data categories each role may see, per municipality. Data, not
-- code: a municipality changes it in the UI; the defaults are seeded when a
-- municipality is created.
CREATE TABLE access_matrix (
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  role            TEXT NOT NULL,
  category        TEXT NOT NULL,
  PRIMARY KEY (municipality_id, role, category)
);

-- A unit's role on a person's case: the relationship (tjenstlig behov)
-- that lets the unit's staff see the person while it is active.
CREATE TABLE case_units (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  org_unit_id     BIGINT NOT NULL,
  responsibility  TEXT NOT NULL,
  -- a statutory basis for sharing special categories without consent
  legal_basis     TEXT NOT NULL DEFAULT '',
  started_at      {{TIMESTAMP}} NOT NULL,
  ended_at        {{TIMESTAMP}},
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (org_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);
CREATE INDEX case_units_unit ON case_units (org_unit_id, person_id);
CREATE INDEX case_units_person ON case_units (person_id);

-- Consent (samtykke) to share categories with a recipient unit for a purpose.
CREATE TABLE consents (
  id                {{ID}},
  municipality_id   BIGINT NOT NULL,
  person_id         BIGINT NOT NULL,
  recipient_unit_id BIGINT NOT NULL,
  purpose           TEXT NOT NULL,
  categories        TEXT NOT NULL,
  given_at          {{TIMESTAMP}} NOT NULL,
  recorded_by       BIGINT,
  expires_at        {{TIMESTAMP}},
  withdrawn_at      {{TIMESTAMP}},
  withdrawn_by      BIGINT,
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (recipient_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);
CREATE INDEX consents_person ON consents (person_id, recipient_unit_id);

-- Emergency access without a relationship ("break the glass").
CREATE TABLE break_glass (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  user_id         BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  reason          TEXT NOT NULL,
  opened_at       {{TIMESTAMP}} NOT NULL,
  expires_at      {{TIMESTAMP}} NOT NULL,
  reviewed_by     BIGINT,
  reviewed_at     {{TIMESTAMP}},
  review_note     TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (user_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX break_glass_user ON break_glass (user_id, person_id);

-- The access log (innsynslogg): one row per person per read. Append-only.
CREATE TABLE access_log (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  at              {{TIMESTAMP}} NOT NULL,
  user_id         BIGINT,
  user_name       TEXT NOT NULL,
  org_unit_name   TEXT NOT NULL DEFAULT '',
  person_id       BIGINT NOT NULL,
  categories      TEXT NOT NULL,
  basis           TEXT NOT NULL,
  channel         TEXT NOT NULL,
  reason          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_person ON access_log (municipality_id, person_id, at);
CREATE INDEX access_log_at ON access_log (municipality_id, at);

-- The audit chain: every change with before and after, each entry hashed
-- together with the previous entry's hash, one chain per municipality.
-- Values are stored exactly as hashed (text), so verification needs no
-- engine-specific formatting.
CREATE TABLE audit_log (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  seq             BIGINT NOT NULL,
  at              TEXT NOT NULL,
  actor           TEXT NOT NULL,
  action          TEXT NOT NULL,
  entity          TEXT NOT NULL,
  entity_id       BIGINT NOT NULL,
  before_json     TEXT NOT NULL,
  after_json      TEXT NOT NULL,
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL,
  UNIQUE (municipality_id, seq)
);

-- Journal notes, each in one data category, so that access by category
-- decides who reads them.
CREATE TABLE notes (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  category        TEXT NOT NULL,
  body            TEXT NOT NULL,
  written_by      BIGINT,
  author_name     TEXT NOT NULL,
  org_unit_name   TEXT NOT NULL DEFAULT '',
  written_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX notes_person ON notes (person_id, written_at);

-- GDPR art. 18: a restricted person's data is kept but not processed.
ALTER TABLE persons ADD COLUMN restricted BOOLEAN NOT NULL DEFAULT FALSE;

-- API tokens carry scopes: "les" allows reading, "skriv" also changes.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'les';
