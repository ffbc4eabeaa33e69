-- Meaningful activity and the staff's work environment (seed 002: "Et
-- sted å bo, med rom for å leve", the chapters on activity and on the
-- work environment).

-- An activity or housing-school course (boligskole) a team offers: what,
-- which kind, the day and time it starts, how long, where and how many
-- can take part. Taking part is always voluntary.
CREATE TABLE activities (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  team_id         BIGINT NOT NULL,
  title           TEXT NOT NULL,
  kind            TEXT NOT NULL,
  description     TEXT NOT NULL DEFAULT '',
  on_day          {{DATE}} NOT NULL,
  start_time      TEXT NOT NULL,
  minutes         INTEGER NOT NULL,
  place           TEXT NOT NULL,
  capacity        INTEGER NOT NULL,
  created_by      TEXT NOT NULL,
  created_by_id   BIGINT,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (title <> '' AND place <> ''),
  CHECK (capacity >= 1 AND capacity <= 500),
  CHECK (minutes >= 1 AND minutes <= 1440),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (team_id, municipality_id) REFERENCES followup_teams(id, municipality_id),
  FOREIGN KEY (created_by_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX activities_day ON activities (municipality_id, on_day);

-- A resident's place on an activity: signed up by themself on Min side or
-- by staff with their agreement, withdrawn, and afterwards whether they
-- came (never a penalty: seed 002, participation is voluntary).
CREATE TABLE activity_signups (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  activity_id     BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pameldt',
  by_resident     BOOLEAN NOT NULL,
  signed_up_on    {{DATE}} NOT NULL,
  signed_by       TEXT NOT NULL,
  withdrawn_on    {{DATE}},
  attended        BOOLEAN,
  attendance_by   TEXT NOT NULL DEFAULT '',
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (status IN ('pameldt', 'trukket')),
  CHECK (status <> 'trukket' OR withdrawn_on IS NOT NULL),
  CHECK (attended IS NULL OR status = 'pameldt'),
  UNIQUE (activity_id, person_id),
  FOREIGN KEY (activity_id, municipality_id) REFERENCES activities(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX activity_signups_person ON activity_signups (person_id);

-- The staff register per team. Competences a member has taken (peer work,
-- MI, Housing First, the ROP guideline, first aid, violence and threats …),
-- with the day taken and, where it lapses, the day it expires.
CREATE TABLE staff_competences (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  team_id         BIGINT NOT NULL,
  user_id         BIGINT NOT NULL,
  name            TEXT NOT NULL,
  competence      TEXT NOT NULL,
  taken_on        {{DATE}} NOT NULL,
  expires_on      {{DATE}},
  recorded_by     TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (expires_on IS NULL OR expires_on >= taken_on),
  FOREIGN KEY (team_id, municipality_id) REFERENCES followup_teams(id, municipality_id),
  FOREIGN KEY (user_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX staff_competences_team ON staff_competences (team_id, user_id);

-- The training plan: which competence the team's members (or one role)
-- need, by which day a member must first have it, and how often it is
-- renewed (0: once).
CREATE TABLE staff_training (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  team_id         BIGINT NOT NULL,
  competence      TEXT NOT NULL,
  member_role     TEXT NOT NULL DEFAULT '',
  every_months    INTEGER NOT NULL,
  first_due_on    {{DATE}} NOT NULL,
  recorded_by     TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (every_months >= 0 AND every_months <= 120),
  UNIQUE (team_id, competence, member_role),
  FOREIGN KEY (team_id, municipality_id) REFERENCES followup_teams(id, municipality_id)
);

-- The supervision log (veiledning): the day, individual or group, who
-- led it and which members took part.
CREATE TABLE staff_supervisions (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  team_id         BIGINT NOT NULL,
  held_on         {{DATE}} NOT NULL,
  kind            TEXT NOT NULL,
  supervisor      TEXT NOT NULL,
  topic           TEXT NOT NULL DEFAULT '',
  recorded_by     TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (kind IN ('individuell', 'gruppe')),
  CHECK (supervisor <> ''),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (team_id, municipality_id) REFERENCES followup_teams(id, municipality_id)
);
CREATE INDEX staff_supervisions_team ON staff_supervisions (team_id, held_on);

CREATE TABLE staff_supervision_members (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  supervision_id  BIGINT NOT NULL,
  user_id         BIGINT NOT NULL,
  name            TEXT NOT NULL,
  FOREIGN KEY (supervision_id, municipality_id) REFERENCES staff_supervisions(id, municipality_id),
  FOREIGN KEY (user_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX staff_supervision_members_s ON staff_supervision_members (supervision_id);

-- The yearly HMS round (arbeidsmiljøloven § 3-1: systematic health,
-- safety and environment work): the day, what was found, and measures
-- each with an owner and a due day.
CREATE TABLE hms_rounds (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  team_id         BIGINT NOT NULL,
  held_on         {{DATE}} NOT NULL,
  findings        TEXT NOT NULL,
  recorded_by     TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (findings <> ''),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (team_id, municipality_id) REFERENCES followup_teams(id, municipality_id)
);
CREATE INDEX hms_rounds_team ON hms_rounds (team_id, held_on);

CREATE TABLE hms_measures (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  round_id        BIGINT NOT NULL,
  what            TEXT NOT NULL,
  owner_id        BIGINT NOT NULL,
  owner_name      TEXT NOT NULL,
  due_on          {{DATE}} NOT NULL,
  done_on         {{DATE}},
  CHECK (what <> ''),
  FOREIGN KEY (round_id, municipality_id) REFERENCES hms_rounds(id, municipality_id),
  FOREIGN KEY (owner_id, municipality_id) REFERENCES users(id, municipality_id)
);
CREATE INDEX hms_measures_round ON hms_measures (round_id);

-- Risk assessment for visits: per resident's home or per address, the
-- assessment, whether visits need two staff, other measures, and the day
-- it is reviewed. The newest assessment of a home governs its visits.
CREATE TABLE visit_risks (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  team_id         BIGINT NOT NULL,
  person_id       BIGINT,
  address         TEXT NOT NULL DEFAULT '',
  assessment      TEXT NOT NULL,
  two_staff       BOOLEAN NOT NULL,
  measures        TEXT NOT NULL DEFAULT '',
  assessed_on     {{DATE}} NOT NULL,
  review_on       {{DATE}} NOT NULL,
  recorded_by     TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (person_id IS NOT NULL OR address <> ''),
  CHECK (assessment <> ''),
  CHECK (review_on >= assessed_on),
  FOREIGN KEY (team_id, municipality_id) REFERENCES followup_teams(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX visit_risks_person ON visit_risks (municipality_id, person_id);
CREATE INDEX visit_risks_team ON visit_risks (team_id);
