-- A decided service may state its extent "etter behov" with a description
-- instead of hours a week (seed 003: "uavhengig av om det tar ti minutter
-- eller ti timer i uka"), and names its catalogue code.
ALTER TABLE decision_services ADD COLUMN service_code TEXT NOT NULL DEFAULT '';
ALTER TABLE decision_services ADD COLUMN as_needed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE decision_services ADD COLUMN as_needed_text TEXT NOT NULL DEFAULT '';
ALTER TABLE decision_services DROP CONSTRAINT decision_services_hours_per_week_check;
ALTER TABLE decision_services ADD CHECK ((NOT as_needed AND hours_per_week > 0 AND hours_per_week <= 168) OR (as_needed AND hours_per_week = 0 AND as_needed_text <> ''));
