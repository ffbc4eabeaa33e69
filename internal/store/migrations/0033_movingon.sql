-- Keeping the home and moving on (boligkarriere): the renewal decision at
-- a lease's end, the resident's plan toward ordinary rental or ownership,
-- and credit checks made with the resident's recorded permission.

-- The decision on a time-limited lease at its end (husleieloven § 11-1:
-- the municipality's leases run three years; seed 002). A refusal, a move
-- to ordinary housing or a move to a more supported setting is an
-- individual decision (forvaltningsloven § 2 b) and needs its reason
-- (§§ 24–25); the resident's lease may be renewed without one.
CREATE TABLE renewal_decisions (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  lease_id        BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  outcome         TEXT NOT NULL,
  reason          TEXT NOT NULL DEFAULT '',
  lease_end_on    {{DATE}} NOT NULL,
  new_end_on      {{DATE}},
  decided_on      {{DATE}} NOT NULL,
  decided_by      BIGINT NOT NULL,
  decided_by_name TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (outcome IN ('fornyes', 'fornyes_ikke', 'ordinar_bolig', 'mer_oppfolging')),
  CHECK (outcome = 'fornyes' OR reason <> ''),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (decided_by, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX renewal_decisions_lease ON renewal_decisions (lease_id, lease_end_on);
CREATE INDEX renewal_decisions_person ON renewal_decisions (person_id);

-- The resident's plan toward ordinary rental or ownership: the goal,
-- Startlån readiness (Husbanken), bostøtte, saving, and the lease's end
-- as the window the plan works toward. One plan per resident, kept up to
-- date.
CREATE TABLE moving_on_plans (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  goal            TEXT NOT NULL,
  startlan        TEXT NOT NULL,
  bostotte        TEXT NOT NULL,
  saving_monthly  INTEGER NOT NULL DEFAULT 0,
  saved           INTEGER NOT NULL DEFAULT 0,
  target_on       {{DATE}},
  next_step       TEXT NOT NULL DEFAULT '',
  updated_by      TEXT NOT NULL,
  updated_at      {{TIMESTAMP}} NOT NULL,
  CHECK (goal IN ('ordinar_leie', 'eie', 'mer_oppfolging')),
  CHECK (startlan IN ('ikke_vurdert', 'ikke_aktuelt', 'ikke_klar', 'klar', 'soknad_sendt', 'innvilget')),
  CHECK (bostotte IN ('ikke_vurdert', 'ikke_aktuelt', 'soknad_sendt', 'innvilget', 'avslag')),
  CHECK (saving_monthly >= 0 AND saved >= 0),
  UNIQUE (municipality_id, person_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);

-- A credit check, made only under the resident's recorded permission: an
-- active consent to an outside party covering finances
-- (personvernforordningen art. 6(1)(a) and 7).
CREATE TABLE credit_checks (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  consent_id      BIGINT NOT NULL REFERENCES outside_consents(id),
  checked_on      {{DATE}} NOT NULL,
  result          TEXT NOT NULL,
  note            TEXT NOT NULL DEFAULT '',
  checked_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (result IN ('ingen_anmerkning', 'anmerkning', 'gjeldsordning')),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX credit_checks_person ON credit_checks (person_id);
