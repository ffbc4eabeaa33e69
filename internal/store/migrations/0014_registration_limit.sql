-- Registering a person by identity number answers "sent for checking"
-- when the number belongs to someone the user may not see, and registers a
-- new number at once, so each attempt tells whether a number is known.
-- The number of such answers a user may get is bounded per day.

-- How many "sent for checking" answers a user may get in one day before
-- registration by number is closed to them until midnight (Oslo time).
-- The default, 3, covers the ordinary case (a walk-in already registered
-- by another service) while keeping a search of the register out of reach
-- (personvernforordningen art. 5 nr. 1 bokstav c and f, art. 25 and art. 32).
ALTER TABLE municipalities ADD COLUMN registration_check_limit INTEGER NOT NULL DEFAULT 3;

-- Each user's count of such answers per Oslo calendar day, counted in the
-- database (UPDATE ... RETURNING) so parallel requests cannot pass the
-- limit. reached_at and review_unit_id are set when the limit is reached:
-- the unit whose leaders are told, or NULL for the auditor (tilsyn), routed
-- as emergency access is. No row names the numbers or persons tried.
-- user_id is the acting user's id; it is counted even for an actor with
-- no user row (a test or the demo's set-up), so it carries no foreign key.
CREATE TABLE registration_limits (
  municipality_id BIGINT NOT NULL,
  user_id         BIGINT NOT NULL,
  day             TEXT NOT NULL,
  checks          INTEGER NOT NULL DEFAULT 0,
  reached_at      {{TIMESTAMP}},
  review_unit_id  BIGINT,
  PRIMARY KEY (user_id, day),
  FOREIGN KEY (municipality_id) REFERENCES municipalities(id)
);
CREATE INDEX registration_limits_review ON registration_limits (municipality_id, review_unit_id);
