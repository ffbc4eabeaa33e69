-- Rights-restricting measures in the home (rules on visitors, on coming
-- and going, medication handling, direct observation): each with its legal
-- basis, period, the day the resident was informed and the day it is
-- reviewed, so supervision (tilsyn) can see every one (seed 004 and
-- DOMAIN.md §6: "must be registered and open to supervision").
CREATE TABLE followup_restrictions (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  followup_id     BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  description     TEXT NOT NULL,
  legal_basis     TEXT NOT NULL,
  from_on         {{DATE}} NOT NULL,
  until_on        {{DATE}},
  review_on       {{DATE}} NOT NULL,
  informed_on     {{DATE}} NOT NULL,
  decided_by      TEXT NOT NULL,
  decided_by_id   BIGINT,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('besok', 'inn_ut', 'medisiner', 'observasjon')),
  CHECK (legal_basis <> ''),
  CHECK (until_on IS NULL OR until_on >= from_on),
  CHECK (review_on >= from_on),
  CHECK (informed_on <= from_on),
  FOREIGN KEY (followup_id, municipality_id) REFERENCES followups(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (decided_by_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX followup_restrictions_person ON followup_restrictions (person_id, kind);
CREATE INDEX followup_restrictions_municipality ON followup_restrictions (municipality_id, review_on);
