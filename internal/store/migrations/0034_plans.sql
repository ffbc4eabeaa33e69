-- Plans in follow-up (seed 004, seed 002): the action plan with goals in
-- the resident's own words, the individual plan (helse- og omsorgs-
-- tjenesteloven § 7-1, pasient- og brukerrettighetsloven § 2-5, forskrift
-- om habilitering og rehabilitering, individuell plan og koordinator), the
-- crisis plan and the responsibility group (ansvarsgruppe). Each belongs
-- to a follow-up and is the resident's to read, comment on and propose to.

-- The municipality's review cycle for action plans; without a row it is
-- monthly (plan.DefaultReviewMonths).
CREATE TABLE plan_settings (
  municipality_id BIGINT NOT NULL PRIMARY KEY REFERENCES municipalities(id),
  review_months   INTEGER NOT NULL,
  updated_by      TEXT NOT NULL,
  updated_at      {{TIMESTAMP}} NOT NULL,
  CHECK (review_months BETWEEN 1 AND 12)
);

-- Out-of-hours routing for crisis plans: whom to call when, per
-- municipality; without rows the built-in defaults apply
-- (plan.DefaultOutOfHours: legevakt 116 117, Alarmtelefonen for barn og
-- unge 116 111 after 20:00, emergency 113).
CREATE TABLE plan_out_of_hours (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  service         TEXT NOT NULL,
  phone           TEXT NOT NULL,
  from_hour       INTEGER NOT NULL,
  until_hour      INTEGER NOT NULL,
  note            TEXT NOT NULL DEFAULT '',
  CHECK (from_hour BETWEEN 0 AND 23 AND until_hour BETWEEN 0 AND 24),
  CHECK (service <> '' AND phone <> '')
);

CREATE TABLE plans (
  id                    {{ID}},
  municipality_id       BIGINT NOT NULL,
  followup_id           BIGINT NOT NULL,
  person_id             BIGINT NOT NULL,
  kind                  TEXT NOT NULL,
  title                 TEXT NOT NULL DEFAULT '',
  start_on              {{DATE}} NOT NULL,
  review_months         INTEGER NOT NULL DEFAULT 0,
  next_review_on        {{DATE}},
  consent_id            BIGINT REFERENCES consents(id),
  coordinator_id        BIGINT,
  coordinator_name      TEXT NOT NULL DEFAULT '',
  coordinator_chosen_on {{DATE}},
  coordinator_agreed    TEXT NOT NULL DEFAULT '',
  warning_signs         TEXT NOT NULL DEFAULT '',
  what_helps            TEXT NOT NULL DEFAULT '',
  who_to_call           TEXT NOT NULL DEFAULT '',
  created_by            TEXT NOT NULL,
  created_by_id         BIGINT,
  created_at            {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('handlingsplan', 'individuell_plan', 'kriseplan', 'ansvarsgruppe')),
  CHECK (kind <> 'individuell_plan' OR consent_id IS NOT NULL),
  CHECK (next_review_on IS NULL OR next_review_on >= start_on),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (followup_id, municipality_id) REFERENCES followups(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id),
  FOREIGN KEY (coordinator_id, municipality_id) REFERENCES users(id, municipality_id),
  FOREIGN KEY (created_by_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX plans_followup ON plans (followup_id);
CREATE INDEX plans_person ON plans (person_id);
CREATE INDEX plans_municipality ON plans (municipality_id, kind);

-- A goal in the resident's own words, stored as they said it, with its
-- recovery dimensions (CHIME) and its area (bolig, arbeid, aktivitet …).
CREATE TABLE plan_goals (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  plan_id         BIGINT NOT NULL,
  words           TEXT NOT NULL,
  dimensions      TEXT NOT NULL DEFAULT '',
  area            TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (words <> ''),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (plan_id, municipality_id) REFERENCES plans(id, municipality_id)
);
CREATE INDEX plan_goals_plan ON plan_goals (plan_id);

-- A measure towards a goal: what, who is responsible, by when.
CREATE TABLE plan_measures (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  plan_id         BIGINT NOT NULL,
  goal_id         BIGINT,
  what            TEXT NOT NULL,
  responsible     TEXT NOT NULL,
  due_on          {{DATE}},
  done_on         {{DATE}},
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (plan_id, municipality_id) REFERENCES plans(id, municipality_id),
  FOREIGN KEY (goal_id, municipality_id) REFERENCES plan_goals(id, municipality_id)
);
CREATE INDEX plan_measures_plan ON plan_measures (plan_id);

-- The record of each review and the day of the next.
CREATE TABLE plan_reviews (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  plan_id         BIGINT NOT NULL,
  reviewed_on     {{DATE}} NOT NULL,
  summary         TEXT NOT NULL,
  next_review_on  {{DATE}} NOT NULL,
  reviewed_by     TEXT NOT NULL,
  reviewed_by_id  BIGINT,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (next_review_on > reviewed_on),
  FOREIGN KEY (plan_id, municipality_id) REFERENCES plans(id, municipality_id)
);
CREATE INDEX plan_reviews_plan ON plan_reviews (plan_id);

-- The resident's comments and proposals on Min side, and staff's answers.
CREATE TABLE plan_comments (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  plan_id         BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  body            TEXT NOT NULL,
  by_resident     BOOLEAN NOT NULL,
  author          TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('kommentar', 'forslag')),
  CHECK (body <> ''),
  FOREIGN KEY (plan_id, municipality_id) REFERENCES plans(id, municipality_id)
);
CREATE INDEX plan_comments_plan ON plan_comments (plan_id);

-- Part plans attached to an individual plan as references (the treatment
-- plan, the individual education plan): where they are kept, not their text.
CREATE TABLE plan_parts (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  plan_id         BIGINT NOT NULL,
  kind            TEXT NOT NULL,
  reference       TEXT NOT NULL,
  held_by         TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('behandlingsplan', 'iop', 'annen')),
  FOREIGN KEY (plan_id, municipality_id) REFERENCES plans(id, municipality_id)
);
CREATE INDEX plan_parts_plan ON plan_parts (plan_id);

-- A responsibility group's members; an outside agency only with the
-- person's consent to that recipient (outside_consents).
CREATE TABLE plan_members (
  id                 {{ID}},
  municipality_id    BIGINT NOT NULL,
  plan_id            BIGINT NOT NULL,
  name               TEXT NOT NULL,
  agency             TEXT NOT NULL,
  role               TEXT NOT NULL DEFAULT '',
  outside_consent_id BIGINT REFERENCES outside_consents(id),
  created_at         {{TIMESTAMP}} NOT NULL,
  CHECK (agency IN ('kommune', 'fastlege', 'dps', 'spesialisthelsetjenesten', 'nav', 'politi', 'parorende', 'annen')),
  CHECK (agency = 'kommune' OR outside_consent_id IS NOT NULL),
  FOREIGN KEY (plan_id, municipality_id) REFERENCES plans(id, municipality_id)
);
CREATE INDEX plan_members_plan ON plan_members (plan_id);

-- A responsibility group's meetings with agenda and minutes; no_progress
-- is set when no task was done since the meeting before.
CREATE TABLE plan_meetings (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  plan_id         BIGINT NOT NULL,
  held_on         {{DATE}} NOT NULL,
  agenda          TEXT NOT NULL,
  minutes         TEXT NOT NULL DEFAULT '',
  no_progress     BOOLEAN NOT NULL DEFAULT FALSE,
  created_by      TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (plan_id, municipality_id) REFERENCES plans(id, municipality_id)
);
CREATE INDEX plan_meetings_plan ON plan_meetings (plan_id, held_on);

-- A responsibility group's tasks with owner and due date.
CREATE TABLE plan_tasks (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  plan_id         BIGINT NOT NULL,
  what            TEXT NOT NULL,
  owner           TEXT NOT NULL,
  due_on          {{DATE}} NOT NULL,
  done_on         {{DATE}},
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (plan_id, municipality_id) REFERENCES plans(id, municipality_id)
);
CREATE INDEX plan_tasks_plan ON plan_tasks (plan_id);
