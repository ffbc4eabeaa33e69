-- Keeping the home (DOMAIN.md §2 step 9; seeds 002–004): complaints and
-- incidents about a tenancy with the resident's own side, the escalation
-- ladder per lease (advarsel → oppsigelse → heving → begjæring om
-- utkastelse → utkastelse) with a preventive action by a named person at
-- every step, the notices sent to the follow-up team and NAV, and the
-- tenant's own notice with its conversation task. Staff are named by user
-- id with a name snapshot.

-- A complaint or incident about a tenancy. The complainant (a neighbour's
-- name) is kept for the staff handling it and never shown to the resident
-- (forvaltningsloven § 13: another person's personal matters).
CREATE TABLE tenancy_complaints (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  lease_id        BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  source          TEXT NOT NULL,
  complainant     TEXT NOT NULL DEFAULT '',
  received_on     {{DATE}} NOT NULL,
  what            TEXT NOT NULL,
  handler_id      BIGINT NOT NULL,
  handler_name    TEXT NOT NULL,
  informed_on     {{DATE}},
  informed_how    TEXT NOT NULL DEFAULT '',
  outcome         TEXT NOT NULL DEFAULT '',
  closed_on       {{DATE}},
  created_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('nabo', 'stoy', 'forsopling', 'skade', 'trusler', 'annet')),
  CHECK (source IN ('nabo', 'borettslag', 'vaktmester', 'politi', 'annet')),
  CHECK (informed_how IN ('', 'brev', 'samtale', 'telefon', 'digital')),
  CHECK (informed_on IS NULL OR informed_how <> ''),
  CHECK (closed_on IS NULL OR outcome <> ''),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (handler_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX tenancy_complaints_lease ON tenancy_complaints (lease_id, received_on);
CREATE INDEX tenancy_complaints_person ON tenancy_complaints (person_id);
CREATE INDEX tenancy_complaints_open ON tenancy_complaints (municipality_id, closed_on, received_on);

-- The resident's own side of a complaint, written on Min side.
CREATE TABLE tenancy_complaint_replies (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  complaint_id    BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  body            TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (complaint_id, municipality_id) REFERENCES tenancy_complaints(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX tenancy_complaint_replies_complaint ON tenancy_complaint_replies (complaint_id);

-- One step on a lease's escalation ladder. A step is in force ('aktiv')
-- until it is rolled back ('tilbakekalt') or the ladder is stopped
-- ('stoppet'), each with a reason and who did it.
CREATE TABLE tenancy_steps (
  id                 {{ID}},
  municipality_id    BIGINT NOT NULL,
  lease_id           BIGINT NOT NULL,
  person_id          BIGINT NOT NULL,
  step               TEXT NOT NULL,
  issued_on          {{DATE}} NOT NULL,
  grounds            TEXT NOT NULL DEFAULT '',
  ground_code        TEXT NOT NULL DEFAULT '',
  notice_months      INTEGER NOT NULL DEFAULT 0,
  notice_agreed      BOOLEAN NOT NULL DEFAULT FALSE,
  ends_on            {{DATE}},
  eviction_on        {{DATE}},
  preventive_action  TEXT NOT NULL,
  preventive_by_id   BIGINT NOT NULL,
  preventive_by_name TEXT NOT NULL,
  override_reason    TEXT NOT NULL DEFAULT '',
  written_form       TEXT NOT NULL DEFAULT 'bokmal',
  status             TEXT NOT NULL DEFAULT 'aktiv',
  end_reason         TEXT NOT NULL DEFAULT '',
  ended_by           TEXT NOT NULL DEFAULT '',
  ended_at           {{TIMESTAMP}},
  created_by         TEXT NOT NULL,
  created_at         {{TIMESTAMP}} NOT NULL,
  CHECK (step IN ('advarsel', 'oppsigelse', 'heving', 'begjaering', 'utkastelse')),
  CHECK (status IN ('aktiv', 'stoppet', 'tilbakekalt')),
  CHECK (status = 'aktiv' OR end_reason <> ''),
  CHECK (written_form IN ('bokmal', 'nynorsk')),
  CHECK (preventive_action <> ''),
  -- husleieloven § 9-7: a notice states its grounds; § 9-6: its period.
  CHECK (step <> 'oppsigelse' OR (grounds <> '' AND notice_months > 0 AND ends_on IS NOT NULL)),
  CHECK (step <> 'utkastelse' OR eviction_on IS NOT NULL),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (preventive_by_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX tenancy_steps_lease ON tenancy_steps (lease_id, status);
CREATE INDEX tenancy_steps_open ON tenancy_steps (municipality_id, status, lease_id);

-- Who was told of a step: the resident's follow-up team and NAV. The
-- message is a phrase, so each unit reads it in its own language; it names
-- the step and the lease, never the grounds.
CREATE TABLE tenancy_notices (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  step_id         BIGINT NOT NULL,
  org_unit_id     BIGINT NOT NULL,
  recipient       TEXT NOT NULL,
  phrase          TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (recipient IN ('oppfolging', 'nav')),
  FOREIGN KEY (step_id, municipality_id) REFERENCES tenancy_steps(id, municipality_id),
  FOREIGN KEY (org_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);
CREATE INDEX tenancy_notices_step ON tenancy_notices (step_id);

-- The tenant's own notice (oppsigelse fra leietaker): accepted as it is,
-- and a task to talk with the tenant about what moving out means.
CREATE TABLE tenancy_tenant_notices (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  lease_id        BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  received_on     {{DATE}} NOT NULL,
  moves_out_on    {{DATE}} NOT NULL,
  owner_id        BIGINT NOT NULL,
  owner_name      TEXT NOT NULL,
  talk_by         {{DATE}} NOT NULL,
  talked_on       {{DATE}},
  note            TEXT NOT NULL DEFAULT '',
  created_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (moves_out_on >= received_on),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (owner_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX tenancy_tenant_notices_lease ON tenancy_tenant_notices (lease_id);
