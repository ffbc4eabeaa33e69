-- The law and Housing First in decisions, mapping and allocation.

-- Legal provisions a decision cites, from a catalogue instead of free
-- text. The built-in provisions (seed 004, and lov 20. desember 2022 nr.
-- 121 om kommunenes ansvar på det boligsosiale feltet, in force 1 July
-- 2023) live in code; a row here adds a municipality's own provision or
-- overrides a built-in one's wording and text reference, or retires it.
CREATE TABLE legal_provisions (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  code            TEXT NOT NULL,
  law             TEXT NOT NULL,
  section         TEXT NOT NULL,
  title           TEXT NOT NULL,
  text_ref        TEXT NOT NULL DEFAULT '',
  active          BOOLEAN NOT NULL DEFAULT TRUE,
  updated_by      TEXT NOT NULL,
  updated_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (municipality_id, code)
);

-- Services a decision grants, from a catalogue with each service's
-- provider unit; built-in services live in code, rows add or override.
CREATE TABLE service_catalogue (
  id               {{ID}},
  municipality_id  BIGINT NOT NULL,
  code             TEXT NOT NULL,
  name             TEXT NOT NULL,
  provider_unit_id BIGINT,
  active           BOOLEAN NOT NULL DEFAULT TRUE,
  updated_by       TEXT NOT NULL,
  updated_at       {{TIMESTAMP}} NOT NULL,
  UNIQUE (municipality_id, code),
  FOREIGN KEY (municipality_id) REFERENCES municipalities(id),
  FOREIGN KEY (provider_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);

-- The decision's legal basis as catalogue codes (comma-separated; the old
-- free-text legal_basis stays readable), whether the coordinator was
-- agreed with the person (helse- og omsorgstjenesteloven § 7-2, seed 003:
-- "i samråd med hovedpersonen"; '' on decisions made before this was
-- asked), and for Housing First the participant agreement as a condition.
ALTER TABLE decisions ADD COLUMN legal_basis_codes TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN coordinator_agreed TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN coordinator_note TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN participant_agreement BOOLEAN NOT NULL DEFAULT FALSE;

-- An offer made by hand while a fitting applicant with higher priority
-- waits needs a written reason (seed 003: need decides), and each
-- applicant passed over is kept for the leaders' and the auditor's report.
ALTER TABLE offers ADD COLUMN passed_over_reason TEXT NOT NULL DEFAULT '';
CREATE TABLE offer_passed_over (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  offer_id        BIGINT NOT NULL,
  application_id  BIGINT NOT NULL,
  priority        {{FLOAT}} NOT NULL,
  FOREIGN KEY (offer_id, municipality_id) REFERENCES offers(id, municipality_id),
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id)
);
CREATE INDEX offer_passed_over_offer ON offer_passed_over (offer_id);
CREATE INDEX offer_passed_over_application ON offer_passed_over (application_id);

-- The mapping also covers meaningful activity and work wishes (seed 002,
-- "Arbeid først"), somatic health (a special category), the children's
-- school and kindergarten, furniture and practical needs for moving in,
-- and the wish for a scattered home or a small house (seed 002).
ALTER TABLE mappings ADD COLUMN activity_wishes TEXT NOT NULL DEFAULT '';
ALTER TABLE mappings ADD COLUMN somatic_health TEXT NOT NULL DEFAULT '';
ALTER TABLE mappings ADD COLUMN children_school TEXT NOT NULL DEFAULT '';
ALTER TABLE mappings ADD COLUMN moving_needs TEXT NOT NULL DEFAULT '';
ALTER TABLE mappings ADD COLUMN home_form TEXT NOT NULL DEFAULT '';

-- Consent to speak with people outside the municipality: the GP, DPS, the
-- specialist services, the police, relatives (only if the person wants,
-- seed 002). Per purpose and recipient, always with an expiry, and
-- withdrawn at once. Kept beside the consents to units because an outside
-- party never gets access in Husly: these rows say what staff may tell
-- whom, and never enter the access decision.
CREATE TABLE outside_consents (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  recipient_kind  TEXT NOT NULL,
  recipient_name  TEXT NOT NULL,
  purpose         TEXT NOT NULL,
  categories      TEXT NOT NULL,
  person_wants    BOOLEAN NOT NULL DEFAULT FALSE,
  given_at        {{TIMESTAMP}} NOT NULL,
  recorded_by     BIGINT,
  expires_at      {{TIMESTAMP}} NOT NULL,
  withdrawn_at    {{TIMESTAMP}},
  withdrawn_by    BIGINT,
  CHECK (recipient_kind IN ('fastlege', 'dps', 'spesialisthelsetjenesten', 'politi', 'parorende', 'annen')),
  CHECK (recipient_kind <> 'parorende' OR person_wants),
  CHECK (expires_at > given_at),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX outside_consents_person ON outside_consents (person_id);

-- Follow-up without a decision: advice and guidance under
-- sosialtjenesteloven § 17, recorded as such and never as a decided
-- service (seed 004: "gi opplysning, råd og veiledning").
CREATE TABLE guidance (
  id               {{ID}},
  municipality_id  BIGINT NOT NULL,
  application_id   BIGINT NOT NULL,
  given_on         {{DATE}} NOT NULL,
  summary          TEXT NOT NULL,
  provider_unit_id BIGINT NOT NULL,
  registered_by    TEXT NOT NULL,
  created_at       {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (application_id, municipality_id) REFERENCES applications(id, municipality_id),
  FOREIGN KEY (provider_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);
CREATE INDEX guidance_application ON guidance (application_id);
