-- The case flow from case handling to signed lease: the checklist of
-- missing information, the meeting log, alternatives considered, interim
-- services, the combined decision with every version kept, letters,
-- offers, appeals, and the lease's own parts. An application is the case.

-- When the case entered its current phase (for the leaders' overview), and
-- how many offers the applicant has declined (local rules act on it).
ALTER TABLE applications ADD COLUMN phase_since {{TIMESTAMP}};
ALTER TABLE applications ADD COLUMN declines INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX applications_tenant ON applications (id, municipality_id);

-- Information the case still lacks, requested from the applicant.
CREATE TABLE case_requests (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  application_id  BIGINT NOT NULL,
  what            TEXT NOT NULL,
  requested_on    {{DATE}} NOT NULL,
  due_on          {{DATE}} NOT NULL,
  received_on     {{DATE}},
  requested_by    TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (due_on >= requested_on),
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id)
);
CREATE INDEX case_requests_application ON case_requests (application_id);

-- Meetings with the applicant and others about the case.
CREATE TABLE case_meetings (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  application_id  BIGINT NOT NULL,
  held_on         {{DATE}} NOT NULL,
  participants    TEXT NOT NULL,
  summary         TEXT NOT NULL,
  written_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id)
);
CREATE INDEX case_meetings_application ON case_meetings (application_id);

-- Alternatives to municipal housing considered (Startlån, bostøtte, …).
CREATE TABLE case_alternatives (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  application_id  BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  outcome         TEXT NOT NULL,
  assessment      TEXT NOT NULL,
  recorded_by     TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id)
);
CREATE INDEX case_alternatives_application ON case_alternatives (application_id);

-- Services given for less than two weeks without a decision.
CREATE TABLE interim_services (
  id               {{ID}},
  municipality_id  BIGINT NOT NULL,
  application_id   BIGINT NOT NULL,
  service          TEXT NOT NULL,
  hours_per_week   {{FLOAT}} NOT NULL,
  provider_unit_id BIGINT NOT NULL,
  start_on         {{DATE}} NOT NULL,
  end_on           {{DATE}},
  registered_by    TEXT NOT NULL,
  created_at       {{TIMESTAMP}} NOT NULL,
  CHECK (end_on IS NULL OR end_on >= start_on),
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id),
  FOREIGN KEY (provider_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);
CREATE INDEX interim_services_application ON interim_services (application_id);

-- The combined decision (samlet vedtak). Every version is kept; the
-- highest is in force. Two amendments from the same version cannot both
-- be stored: the second breaks the unique version.
CREATE TABLE decisions (
  id               {{ID}},
  municipality_id  BIGINT NOT NULL,
  application_id   BIGINT NOT NULL,
  person_id        BIGINT NOT NULL,
  version          INTEGER NOT NULL,
  outcome          TEXT NOT NULL,
  housing_type     TEXT NOT NULL DEFAULT '',
  rooms            INTEGER NOT NULL DEFAULT 0,
  requirements     TEXT NOT NULL DEFAULT '',
  coordinator      TEXT NOT NULL DEFAULT '',
  conditions       TEXT NOT NULL DEFAULT '',
  reasons          TEXT NOT NULL,
  legal_basis      TEXT NOT NULL,
  decided_on       {{DATE}} NOT NULL,
  appeal_due       {{DATE}} NOT NULL,
  decided_by       TEXT NOT NULL,
  org_unit_name    TEXT NOT NULL DEFAULT '',
  amendment_reason TEXT NOT NULL DEFAULT '',
  changes          TEXT NOT NULL DEFAULT '[]',
  created_at       {{TIMESTAMP}} NOT NULL,
  CHECK (version >= 1),
  CHECK (outcome IN ('innvilget', 'avslag')),
  CHECK (appeal_due > decided_on),
  UNIQUE (application_id, version),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX decisions_person ON decisions (person_id);

CREATE TABLE decision_services (
  id               {{ID}},
  municipality_id  BIGINT NOT NULL,
  decision_id      BIGINT NOT NULL,
  service          TEXT NOT NULL,
  hours_per_week   {{FLOAT}} NOT NULL,
  provider_unit_id BIGINT NOT NULL,
  start_on         {{DATE}} NOT NULL,
  end_on           {{DATE}},
  CHECK (hours_per_week > 0 AND hours_per_week <= 168),
  CHECK (end_on IS NULL OR end_on >= start_on),
  FOREIGN KEY (decision_id, municipality_id) REFERENCES decisions(id, municipality_id),
  FOREIGN KEY (provider_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);
CREATE INDEX decision_services_decision ON decision_services (decision_id);

-- Messages to the units on a case (an amended decision, for instance).
CREATE TABLE notifications (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  org_unit_id     BIGINT NOT NULL,
  application_id  BIGINT NOT NULL,
  message         TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  read_at         {{TIMESTAMP}},
  FOREIGN KEY (org_unit_id, municipality_id) REFERENCES org_units(id, municipality_id),
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id)
);
CREATE INDEX notifications_unit ON notifications (org_unit_id, read_at);

-- Texts a municipality edits: letter templates, house rules, the public
-- page. Without a row the built-in text applies.
CREATE TABLE texts (
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  kind            TEXT NOT NULL,
  body            TEXT NOT NULL,
  updated_at      {{TIMESTAMP}} NOT NULL,
  PRIMARY KEY (municipality_id, kind)
);

-- Letters issued, for the timeline and the record.
CREATE TABLE letters (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  application_id  BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  made_by         TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id)
);
CREATE INDEX letters_application ON letters (application_id);

-- An offer of a concrete unit to an approved applicant.
CREATE TABLE offers (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  application_id  BIGINT NOT NULL,
  unit_id         BIGINT NOT NULL,
  offered_on      {{DATE}} NOT NULL,
  respond_by      {{DATE}} NOT NULL,
  status          TEXT NOT NULL DEFAULT 'tilbudt',
  decline_reason  TEXT NOT NULL DEFAULT '',
  responded_on    {{DATE}},
  offered_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (respond_by >= offered_on),
  CHECK (status IN ('tilbudt', 'akseptert', 'avslatt', 'trukket')),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id),
  FOREIGN KEY (unit_id, municipality_id) REFERENCES units(id, municipality_id)
);
CREATE INDEX offers_application ON offers (application_id);

-- An appeal (klage) against a decision version.
CREATE TABLE appeals (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  application_id  BIGINT NOT NULL,
  decision_id     BIGINT NOT NULL,
  received_on     {{DATE}} NOT NULL,
  appeal_due      {{DATE}} NOT NULL,
  late            BOOLEAN NOT NULL,
  grounds         TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'mottatt',
  reconsidered_on {{DATE}},
  reconsideration TEXT NOT NULL DEFAULT '',
  forwarded_on    {{DATE}},
  outcome         TEXT NOT NULL DEFAULT '',
  outcome_on      {{DATE}},
  outcome_note    TEXT NOT NULL DEFAULT '',
  registered_by   TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id),
  FOREIGN KEY (decision_id, municipality_id) REFERENCES decisions(id, municipality_id)
);
CREATE INDEX appeals_application ON appeals (application_id);

-- The lease's parts beyond the tenancy itself.
ALTER TABLE leases ADD COLUMN application_id BIGINT;
ALTER TABLE leases ADD COLUMN house_rules TEXT NOT NULL DEFAULT '';
ALTER TABLE leases ADD COLUMN followup_agreement TEXT NOT NULL DEFAULT '';
ALTER TABLE leases ADD COLUMN signed_on {{DATE}};
ALTER TABLE leases ADD COLUMN terminated_on {{DATE}};
ALTER TABLE leases ADD COLUMN termination_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX leases_application ON leases (application_id);

-- Inspections at move-in and move-out, with the inventory as JSON lines
-- of item, condition and note.
CREATE TABLE lease_inspections (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  lease_id        BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  held_on         {{DATE}} NOT NULL,
  items           TEXT NOT NULL,
  done_by         TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('innflytting', 'utflytting')),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id)
);
CREATE INDEX lease_inspections_lease ON lease_inspections (lease_id);

-- A resident's own application, saved as a draft until sent, and the
-- documents attached to it.
CREATE TABLE application_drafts (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  body            TEXT NOT NULL,
  application_id  BIGINT,
  updated_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX application_drafts_person ON application_drafts (person_id);

CREATE TABLE attachments (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  draft_id        BIGINT NOT NULL,
  filename        TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  size            INTEGER NOT NULL,
  -- base64, so a logical backup carries it as text
  data            TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (draft_id, municipality_id) REFERENCES application_drafts(id, municipality_id)
);
CREATE INDEX attachments_draft ON attachments (draft_id);
