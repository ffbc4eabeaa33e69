-- The Housing First pipeline (seed 002): referral, mapping, participant
-- agreement, housed, follow-up, each phase's day kept so counts and
-- durations per phase can be reported (the time from agreement to housed
-- feeds the fidelity scale), with the participant's own choice of where
-- to live.
CREATE TABLE hf_pipeline (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  team_id         BIGINT NOT NULL,
  referred_on     {{DATE}} NOT NULL,
  referred_by     TEXT NOT NULL,
  mapped_on       {{DATE}},
  agreement_on    {{DATE}},
  housed_on       {{DATE}},
  followup_on     {{DATE}},
  home_choice     TEXT NOT NULL DEFAULT '',
  created_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (mapped_on IS NULL OR mapped_on >= referred_on),
  CHECK (agreement_on IS NULL OR (mapped_on IS NOT NULL AND agreement_on >= mapped_on)),
  CHECK (housed_on IS NULL OR (agreement_on IS NOT NULL AND housed_on >= agreement_on AND home_choice <> '')),
  CHECK (followup_on IS NULL OR (housed_on IS NOT NULL AND followup_on >= housed_on)),
  UNIQUE (team_id, person_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (team_id, municipality_id) REFERENCES followup_teams(id, municipality_id)
);
CREATE INDEX hf_pipeline_municipality ON hf_pipeline (municipality_id);

-- What property staff and caretakers see in a home or of a resident
-- ("vaktmestre ser mye", seed 003), passed to the follow-up team without
-- their seeing any health data, and the team's reply that it is handled.
CREATE TABLE followup_observations (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  body            TEXT NOT NULL,
  reported_on     {{DATE}} NOT NULL,
  reported_by     TEXT NOT NULL,
  reported_by_id  BIGINT,
  handled_on      {{DATE}},
  handled_by      TEXT NOT NULL DEFAULT '',
  reply           TEXT NOT NULL DEFAULT '',
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('bekymring', 'skade', 'nabo', 'annet')),
  CHECK (handled_on IS NULL OR reply <> ''),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (reported_by_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX followup_observations_person ON followup_observations (person_id);
CREATE INDEX followup_observations_reporter ON followup_observations (reported_by_id, handled_on);
