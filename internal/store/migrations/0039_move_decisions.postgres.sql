-- A move decision during the lease (vedtak om flytting i leieperioden):
-- the resident moves to a more supported setting or on to ordinary
-- housing while the lease runs, time-limited or open-ended (issue
-- "Keeping the home" point 9). It is kept with the renewal decisions at a
-- lease's end: kind says which; an open-ended lease has no end, so
-- lease_end_on is only the end a decision at the end was made on. The
-- letter's notification starts the appeal deadline (forvaltningsloven
-- § 29): notified_on, notified_via and appeal_due, as the case flow's
-- decisions keep them.
ALTER TABLE renewal_decisions ALTER COLUMN lease_end_on DROP NOT NULL;
ALTER TABLE renewal_decisions ADD COLUMN kind TEXT NOT NULL DEFAULT 'ved_utlop';
ALTER TABLE renewal_decisions ADD COLUMN offered TEXT NOT NULL DEFAULT '';
ALTER TABLE renewal_decisions ADD COLUMN move_on DATE;
ALTER TABLE renewal_decisions ADD COLUMN notified_on DATE;
ALTER TABLE renewal_decisions ADD COLUMN notified_via TEXT NOT NULL DEFAULT '';
ALTER TABLE renewal_decisions ADD COLUMN appeal_due DATE;
ALTER TABLE renewal_decisions ADD CHECK ((kind = 'ved_utlop' AND lease_end_on IS NOT NULL)
  OR (kind = 'i_leieperioden' AND outcome IN ('ordinar_bolig', 'mer_oppfolging') AND move_on IS NOT NULL AND move_on >= decided_on));
CREATE INDEX renewal_decisions_kind ON renewal_decisions (lease_id, kind);

-- The resident's appeal of a tenancy decision (a renewal decision that is
-- an individual decision, or a move decision during the lease;
-- forvaltningsloven §§ 28–36): received with its grounds and the day it
-- came, marked late when it came after the deadline (§ 31: a late appeal
-- is received all the same), reconsidered by the deciding unit (§ 33:
-- reversed, or upheld and sent to Statsforvalteren), and Statsforvalteren's
-- outcome (confirmed, changed or quashed). by_resident: the resident sent
-- it from Min side.
CREATE TABLE renewal_appeals (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  decision_id     BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  received_on     DATE NOT NULL,
  appeal_due      DATE,
  late            BOOLEAN NOT NULL,
  grounds         TEXT NOT NULL,
  status          TEXT NOT NULL,
  reconsidered_on DATE,
  reconsideration TEXT NOT NULL DEFAULT '',
  forwarded_on    DATE,
  outcome         TEXT NOT NULL DEFAULT '',
  outcome_on      DATE,
  outcome_note    TEXT NOT NULL DEFAULT '',
  by_resident     BOOLEAN NOT NULL,
  registered_by   TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  CHECK (grounds <> ''),
  CHECK (status IN ('mottatt', 'omgjort', 'sendt_statsforvalter', 'avgjort')),
  CHECK (outcome IN ('', 'stadfestet', 'endret', 'opphevet')),
  CHECK ((status = 'avgjort') = (outcome <> '')),
  FOREIGN KEY (decision_id, municipality_id) REFERENCES renewal_decisions(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX renewal_appeals_decision ON renewal_appeals (decision_id);
CREATE INDEX renewal_appeals_person ON renewal_appeals (person_id);
CREATE INDEX renewal_appeals_open ON renewal_appeals (municipality_id, status);
