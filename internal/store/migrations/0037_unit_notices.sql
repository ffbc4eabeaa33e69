-- Notices to a municipal unit about a person, which its staff see as work
-- on their start page until someone there has read them: each step on the
-- escalation ladder to the resident's follow-up teams and to NAV
-- (sosialtjenesteloven §§ 15 and 27), whatever the lease's origin; and an
-- arrears conversation to NAV, only on the tenant's consent or a stated
-- legal basis. A notice carries one category, the tenancy or finances,
-- never health or substance use; the basis says why the unit may see it.
CREATE TABLE unit_notices (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  org_unit_id     BIGINT NOT NULL,
  recipient       TEXT NOT NULL,
  person_id       BIGINT NOT NULL,
  lease_id        BIGINT,
  source          TEXT NOT NULL,
  source_id       BIGINT NOT NULL,
  category        TEXT NOT NULL,
  basis           TEXT NOT NULL,
  phrase          TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  read_at         {{TIMESTAMP}},
  read_by         TEXT NOT NULL DEFAULT '',
  CHECK (recipient IN ('oppfolging', 'nav')),
  CHECK (source IN ('eskalering', 'restanse')),
  CHECK (category IN ('leieforhold', 'okonomi')),
  CHECK (basis <> '' AND phrase <> ''),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (org_unit_id, municipality_id) REFERENCES org_units(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (lease_id, municipality_id) REFERENCES leases(id, municipality_id)
);
CREATE INDEX unit_notices_inbox ON unit_notices (org_unit_id, read_at, id);
CREATE INDEX unit_notices_person ON unit_notices (person_id);
