-- A decided service may state its extent "etter behov" with a description
-- instead of hours a week (seed 003: "uavhengig av om det tar ti minutter
-- eller ti timer i uka"), and names its catalogue code. SQLite cannot
-- change a CHECK, so the table is rebuilt; nothing references it.
CREATE TABLE decision_services_new (
  id               {{ID}},
  municipality_id  BIGINT NOT NULL,
  decision_id      BIGINT NOT NULL,
  service          TEXT NOT NULL,
  service_code     TEXT NOT NULL DEFAULT '',
  hours_per_week   {{FLOAT}} NOT NULL,
  as_needed        BOOLEAN NOT NULL DEFAULT FALSE,
  as_needed_text   TEXT NOT NULL DEFAULT '',
  provider_unit_id BIGINT NOT NULL,
  start_on         {{DATE}} NOT NULL,
  end_on           {{DATE}},
  CHECK ((NOT as_needed AND hours_per_week > 0 AND hours_per_week <= 168) OR (as_needed AND hours_per_week = 0 AND as_needed_text <> '')),
  CHECK (end_on IS NULL OR end_on >= start_on),
  FOREIGN KEY (decision_id, municipality_id) REFERENCES decisions(id, municipality_id),
  FOREIGN KEY (provider_unit_id, municipality_id) REFERENCES org_units(id, municipality_id)
);
INSERT INTO decision_services_new (id, municipality_id, decision_id, service, hours_per_week, provider_unit_id, start_on, end_on)
  SELECT id, municipality_id, decision_id, service, hours_per_week, provider_unit_id, start_on, end_on FROM decision_services;
DROP TABLE decision_services;
ALTER TABLE decision_services_new RENAME TO decision_services;
CREATE INDEX decision_services_decision ON decision_services (decision_id);
