-- Allocation: each municipality's priority rules and scoring policy, every
-- version kept; the highest is in force.
CREATE TABLE priority_rules (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  version         INTEGER NOT NULL,
  rules           TEXT NOT NULL,
  policy          TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (municipality_id, version)
);

-- The allocation meeting (tildelingsmøte): its schedule and the agencies
-- that must be there, and the unit whose word settles a disagreement.
CREATE TABLE meeting_schedules (
  municipality_id   BIGINT PRIMARY KEY REFERENCES municipalities(id),
  interval_days     INTEGER NOT NULL,
  required_units    TEXT NOT NULL,
  tie_break_unit_id BIGINT,
  updated_at        {{TIMESTAMP}} NOT NULL,
  CHECK (interval_days BETWEEN 1 AND 90)
);

CREATE TABLE meetings (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  held_on         {{DATE}} NOT NULL,
  status          TEXT NOT NULL DEFAULT 'apent',
  created_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  closed_at       {{TIMESTAMP}},
  CHECK (status IN ('apent', 'avsluttet')),
  UNIQUE (id, municipality_id)
);

CREATE TABLE meeting_attendance (
  meeting_id      BIGINT NOT NULL,
  municipality_id BIGINT NOT NULL,
  org_unit_id     BIGINT NOT NULL,
  attendees       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, org_unit_id),
  FOREIGN KEY (meeting_id, municipality_id) REFERENCES meetings(id, municipality_id),
  FOREIGN KEY (org_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);

-- The agenda: the round's proposals and cases deferred before, each with
-- the meeting's decision.
CREATE TABLE meeting_items (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  meeting_id      BIGINT NOT NULL,
  application_id  BIGINT NOT NULL,
  unit_id         BIGINT,
  score           {{FLOAT}} NOT NULL DEFAULT 0,
  reasons         TEXT NOT NULL DEFAULT '[]',
  alternatives    TEXT NOT NULL DEFAULT '[]',
  complex         BOOLEAN NOT NULL DEFAULT FALSE,
  deferred_before BOOLEAN NOT NULL DEFAULT FALSE,
  decision        TEXT NOT NULL DEFAULT '',
  decision_reason TEXT NOT NULL DEFAULT '',
  tie_break       BOOLEAN NOT NULL DEFAULT FALSE,
  offer_id        BIGINT,
  decided_by      TEXT NOT NULL DEFAULT '',
  CHECK (decision IN ('', 'godkjent', 'utsatt', 'avvist')),
  FOREIGN KEY (meeting_id, municipality_id) REFERENCES meetings(id, municipality_id),
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id),
  FOREIGN KEY (unit_id, municipality_id) REFERENCES units(id, municipality_id)
);
CREATE INDEX meeting_items_meeting ON meeting_items (meeting_id);
CREATE INDEX meeting_items_application ON meeting_items (application_id);

-- Inter-municipal cooperation: a municipality offers a unit to a partner
-- under an agreement, for a period; the unit appears in the partner's round.
CREATE TABLE unit_agreements (
  id                      {{ID}},
  municipality_id         BIGINT NOT NULL,
  partner_municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  unit_id                 BIGINT NOT NULL,
  valid_from              {{DATE}} NOT NULL,
  valid_to                {{DATE}},
  note                    TEXT NOT NULL DEFAULT '',
  created_by              TEXT NOT NULL,
  created_at              {{TIMESTAMP}} NOT NULL,
  CHECK (partner_municipality_id <> municipality_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from),
  FOREIGN KEY (unit_id, municipality_id) REFERENCES units(id, municipality_id)
);
CREATE INDEX unit_agreements_partner ON unit_agreements (partner_municipality_id, valid_from);

-- Rules a site (anlegg) sets for who it can take, as JSON
-- (allocation.SiteRules); the allocation round never breaks them.
ALTER TABLE sites ADD COLUMN rules TEXT NOT NULL DEFAULT '{}';

-- Where the person's family and friends live, when they want to live near
-- them: the round scores nearness to the network.
ALTER TABLE mappings ADD COLUMN network_districts TEXT NOT NULL DEFAULT '';
