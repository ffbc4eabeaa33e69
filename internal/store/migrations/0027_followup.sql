-- Follow-up in the home (bo-oppfølging, seed 004): the teams and services
-- in the guide's models, their members, the municipality's caseload and
-- contact norms per model, who follows whom, contacts, appointment help,
-- the FACT board, observations from property staff and the Housing First
-- pipeline. Staff are named by user id with a name snapshot.

-- The municipality's own norm per model; without a row the built-in
-- default (followup.DefaultNorms, with its source) applies.
CREATE TABLE followup_norms (
  id                  {{ID}},
  municipality_id     BIGINT NOT NULL REFERENCES municipalities(id),
  model               TEXT NOT NULL,
  max_per_person_year {{FLOAT}} NOT NULL,
  min_contact_days    INTEGER NOT NULL,
  source              TEXT NOT NULL,
  updated_by          TEXT NOT NULL,
  updated_at          {{TIMESTAMP}} NOT NULL,
  CHECK (max_per_person_year >= 0 AND min_contact_days >= 0),
  UNIQUE (municipality_id, model)
);

-- A service or team giving follow-up: one per organisational unit.
CREATE TABLE followup_teams (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  org_unit_id     BIGINT NOT NULL,
  name            TEXT NOT NULL,
  model           TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (org_unit_id),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (org_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);

-- A team member: a user, their role on the team, their share of a
-- person-year and who employs them (FACT is shared with specialist health).
CREATE TABLE followup_members (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  team_id         BIGINT NOT NULL,
  user_id         BIGINT NOT NULL,
  name            TEXT NOT NULL,
  role            TEXT NOT NULL,
  fte             {{FLOAT}} NOT NULL,
  employer        TEXT NOT NULL DEFAULT 'kommune',
  CHECK (fte > 0 AND fte <= 1),
  CHECK (employer IN ('kommune', 'spesialisthelsetjenesten')),
  UNIQUE (team_id, user_id),
  FOREIGN KEY (team_id, municipality_id) REFERENCES followup_teams(id, municipality_id),
  FOREIGN KEY (user_id, municipality_id) REFERENCES users(id, municipality_id)
);

-- Who follows whom. Basis 'vedtak' names the decision it came from;
-- 'veiledning' is advice and guidance without a decision (sosialtjeneste-
-- loven § 17). It ends only with the resident's own statement (seed 002).
CREATE TABLE followups (
  id               {{ID}},
  municipality_id  BIGINT NOT NULL,
  person_id        BIGINT NOT NULL,
  team_id          BIGINT NOT NULL,
  basis            TEXT NOT NULL,
  decision_id      BIGINT,
  service_code     TEXT NOT NULL DEFAULT '',
  primary_id       BIGINT NOT NULL,
  primary_name     TEXT NOT NULL,
  coordinator_id   BIGINT,
  coordinator_name TEXT NOT NULL DEFAULT '',
  start_on         {{DATE}} NOT NULL,
  intensity        TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'aktiv',
  door_channel     TEXT NOT NULL DEFAULT '',
  ask_again_on     {{DATE}},
  declined_statement TEXT NOT NULL DEFAULT '',
  ended_on         {{DATE}},
  end_statement    TEXT NOT NULL DEFAULT '',
  end_reason       TEXT NOT NULL DEFAULT '',
  -- The last day a contact met the resident, kept with each contact so
  -- the contact-frequency alerts for a whole municipality read one row per
  -- follow-up instead of every contact.
  last_met_on      {{DATE}},
  created_by       TEXT NOT NULL,
  created_at       {{TIMESTAMP}} NOT NULL,
  CHECK (basis IN ('vedtak', 'veiledning')),
  CHECK (basis <> 'vedtak' OR decision_id IS NOT NULL),
  CHECK (status IN ('aktiv', 'dor_apen', 'avsluttet')),
  CHECK (status <> 'avsluttet' OR (end_statement <> '' AND end_reason <> '' AND ended_on IS NOT NULL)),
  CHECK (status <> 'dor_apen' OR (ask_again_on IS NOT NULL AND declined_statement <> '')),
  CHECK (intensity IN ('lav', 'middels', 'hoy')),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (team_id, municipality_id) REFERENCES followup_teams(id, municipality_id),
  FOREIGN KEY (decision_id, municipality_id) REFERENCES decisions(id, municipality_id),
  FOREIGN KEY (primary_id, municipality_id) REFERENCES users(id, municipality_id),
  FOREIGN KEY (coordinator_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX followups_team ON followups (team_id, status);
CREATE INDEX followups_person ON followups (person_id);
CREATE INDEX followups_municipality ON followups (municipality_id, status);

-- FACT's board (tavlemøte): a resident flagged for daily discussion, with
-- the reason and the day the flag ends.
CREATE TABLE followup_board (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  followup_id     BIGINT NOT NULL,
  reason          TEXT NOT NULL,
  from_on         {{DATE}} NOT NULL,
  until_on        {{DATE}} NOT NULL,
  flagged_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (until_on >= from_on),
  FOREIGN KEY (followup_id, municipality_id) REFERENCES followups(id, municipality_id)
);
CREATE INDEX followup_board_followup ON followup_board (followup_id, until_on);

-- A contact with the resident: its kind, day, length, a short note filed
-- under a data category (so the access rules apply to it), and whether it
-- happened or the resident was not met (which never closes anything).
CREATE TABLE followup_contacts (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  followup_id     BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  contact_on      {{DATE}} NOT NULL,
  minutes         INTEGER NOT NULL,
  met             BOOLEAN NOT NULL DEFAULT TRUE,
  risky           BOOLEAN NOT NULL DEFAULT FALSE,
  note            TEXT NOT NULL DEFAULT '',
  note_category   TEXT NOT NULL DEFAULT 'oppfolging',
  recorded_by     TEXT NOT NULL,
  recorded_by_id  BIGINT,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (minutes >= 0 AND minutes <= 1440),
  CHECK (note_category IN ('oppfolging', 'helse', 'rus', 'leieforhold', 'okonomi')),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (followup_id, municipality_id) REFERENCES followups(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (recorded_by_id, municipality_id) REFERENCES users(id, municipality_id)
);
-- The last contact where the resident was met is read per follow-up on
-- every board and alert: met leads, so it comes from the index alone.
CREATE INDEX followup_contacts_followup ON followup_contacts (followup_id, met, contact_on);
CREATE INDEX followup_contacts_day ON followup_contacts (municipality_id, contact_on);

-- Staff who took part in a contact.
CREATE TABLE followup_contact_staff (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  contact_id      BIGINT NOT NULL,
  user_id         BIGINT NOT NULL,
  name            TEXT NOT NULL,
  UNIQUE (contact_id, user_id),
  FOREIGN KEY (contact_id, municipality_id) REFERENCES followup_contacts(id, municipality_id),
  FOREIGN KEY (user_id, municipality_id) REFERENCES users(id, municipality_id)
);

-- Help with appointments (GP, therapist, NAV …) as tasks with a reminder.
CREATE TABLE followup_appointments (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  followup_id     BIGINT NOT NULL,
  with_kind       TEXT NOT NULL,
  what            TEXT NOT NULL,
  on_day          {{DATE}} NOT NULL,
  remind_on       {{DATE}} NOT NULL,
  owner_id        BIGINT NOT NULL,
  owner_name      TEXT NOT NULL,
  done_on         {{DATE}},
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (remind_on <= on_day),
  CHECK (with_kind IN ('fastlege', 'behandler', 'nav', 'tannlege', 'annet')),
  FOREIGN KEY (followup_id, municipality_id) REFERENCES followups(id, municipality_id),
  FOREIGN KEY (owner_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX followup_appointments_followup ON followup_appointments (followup_id, done_on);
