-- Controls that hold under attack.

-- Sessions are stored under the SHA-256 of their token, so a copy of the
-- table does not hand out live sessions. Plain tokens from before cannot be
-- found under their hash: everyone signs in again once.
DELETE FROM sessions;

-- Break-glass review climbs the organisation: a unit may sit under another.
ALTER TABLE org_units ADD COLUMN parent_id BIGINT;

-- Where an emergency access was sent for review when it was opened: the
-- unit whose leaders review it, or NULL for the auditor (tilsyn).
ALTER TABLE break_glass ADD COLUMN review_unit_id BIGINT;
CREATE INDEX break_glass_review ON break_glass (municipality_id, review_unit_id);

-- Whether emergency access in this municipality opens special categories
-- (health, substance use, finances) without consent or a recorded legal
-- basis. The lawful default is no: the same rule as an ordinary
-- relationship. A municipality that turns it on has it shown in every
-- access-log row it causes.
ALTER TABLE municipalities ADD COLUMN break_glass_special BOOLEAN NOT NULL DEFAULT FALSE;

-- External identities (OpenID Connect): the issuer and subject an identity
-- provider vouches for, linked to one Husly user in one municipality.
CREATE TABLE external_identities (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  issuer          TEXT NOT NULL,
  subject         TEXT NOT NULL,
  user_id         BIGINT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  last_login_at   {{TIMESTAMP}},
  UNIQUE (issuer, subject),
  FOREIGN KEY (user_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX external_identities_user ON external_identities (user_id);

-- Attempts to register a person who is already registered where the
-- registering user may not see them: sent to the unit holding the case
-- for checking, without telling the registering user whether the number
-- exists.
CREATE TABLE registration_checks (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  requested_by    BIGINT NOT NULL,
  requested_unit  BIGINT,
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (requested_by, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX registration_checks_person ON registration_checks (municipality_id, person_id);
