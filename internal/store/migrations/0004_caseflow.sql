-- The case flow, first steps: first contact (henvendelse) with the
-- situation now, and mapping (kartlegging) of needs and the person's own
-- wishes, as structured data allocation can use.

CREATE TABLE contacts (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  received_on     {{DATE}} NOT NULL,
  channel         TEXT NOT NULL,
  residence       TEXT NOT NULL,
  leaving_on      {{DATE}},
  home_waiting    BOOLEAN NOT NULL DEFAULT FALSE,
  homeless        BOOLEAN NOT NULL,
  homeless_reason TEXT NOT NULL,
  summary         TEXT NOT NULL DEFAULT '',
  registered_by   TEXT NOT NULL,
  org_unit_name   TEXT NOT NULL DEFAULT '',
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX contacts_person ON contacts (person_id, received_on);

-- Each mapping is kept; the newest is the current one.
CREATE TABLE mappings (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  housing_need    TEXT NOT NULL DEFAULT '',
  service_need    TEXT NOT NULL DEFAULT '',
  finances        TEXT NOT NULL DEFAULT '',
  functioning     TEXT NOT NULL DEFAULT '',
  network         TEXT NOT NULL DEFAULT '',
  share_network   BOOLEAN NOT NULL DEFAULT FALSE,
  goals           TEXT NOT NULL DEFAULT '',
  want_districts  TEXT NOT NULL DEFAULT '',
  avoid_districts TEXT NOT NULL DEFAULT '',
  live_with       TEXT NOT NULL DEFAULT 'alene',
  pets            BOOLEAN NOT NULL DEFAULT FALSE,
  smoke_free      BOOLEAN NOT NULL DEFAULT FALSE,
  ground_floor    BOOLEAN NOT NULL DEFAULT FALSE,
  wheelchair      BOOLEAN NOT NULL DEFAULT FALSE,
  near_network    BOOLEAN NOT NULL DEFAULT FALSE,
  written_by      TEXT NOT NULL,
  org_unit_name   TEXT NOT NULL DEFAULT '',
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX mappings_person ON mappings (person_id, id);

-- Eligibility rules per municipality, as JSON a municipality edits
-- (caseflow.Rule); without a row the default rules apply.
CREATE TABLE eligibility_rules (
  municipality_id BIGINT PRIMARY KEY REFERENCES municipalities(id),
  rules           TEXT NOT NULL,
  updated_at      {{TIMESTAMP}} NOT NULL
);

-- An application for municipal housing and/or housing-social assistance,
-- with its eligibility as evaluated on receipt and its statutory deadline.
CREATE TABLE applications (
  id                  {{ID}},
  municipality_id     BIGINT NOT NULL,
  person_id           BIGINT NOT NULL,
  kind                TEXT NOT NULL,
  received_on         {{DATE}} NOT NULL,
  status              TEXT NOT NULL DEFAULT 'mottatt',
  decision_due        {{DATE}} NOT NULL,
  provisional_sent_on {{DATE}},
  eligible            BOOLEAN NOT NULL,
  eligibility         TEXT NOT NULL,
  groups              TEXT NOT NULL DEFAULT '',
  org_unit_id         BIGINT,
  case_worker         TEXT NOT NULL,
  created_at          {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX applications_person ON applications (person_id);
CREATE INDEX applications_open ON applications (municipality_id, status, decision_due);
