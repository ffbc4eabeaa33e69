-- Staff are referred to by user id, with the name they had then kept
-- beside it as a snapshot for letters, logs and pages. A display name is
-- not an identity: two case workers with the same name shared one task
-- list, and renaming a user left their cases with nobody. Existing rows are
-- linked where the name matches exactly one user in the municipality; the
-- rest keep only the name (a name that matches two users cannot be told
-- apart afterwards, and is left for a person to link).
-- SQLite cannot add a table constraint to an existing table, so the
-- column references users(id); the code writes only the acting user, who
-- is always in the row's municipality.
ALTER TABLE contacts ADD COLUMN registered_by_id BIGINT REFERENCES users(id);
ALTER TABLE mappings ADD COLUMN written_by_id BIGINT REFERENCES users(id);
ALTER TABLE applications ADD COLUMN case_worker_id BIGINT REFERENCES users(id);
ALTER TABLE case_requests ADD COLUMN requested_by_id BIGINT REFERENCES users(id);
ALTER TABLE case_meetings ADD COLUMN written_by_id BIGINT REFERENCES users(id);
ALTER TABLE case_alternatives ADD COLUMN recorded_by_id BIGINT REFERENCES users(id);
ALTER TABLE interim_services ADD COLUMN registered_by_id BIGINT REFERENCES users(id);
ALTER TABLE decisions ADD COLUMN decided_by_id BIGINT REFERENCES users(id);
ALTER TABLE letters ADD COLUMN made_by_id BIGINT REFERENCES users(id);
ALTER TABLE offers ADD COLUMN offered_by_id BIGINT REFERENCES users(id);
ALTER TABLE appeals ADD COLUMN registered_by_id BIGINT REFERENCES users(id);
ALTER TABLE lease_inspections ADD COLUMN done_by_id BIGINT REFERENCES users(id);
ALTER TABLE priority_rules ADD COLUMN created_by_id BIGINT REFERENCES users(id);
ALTER TABLE meetings ADD COLUMN created_by_id BIGINT REFERENCES users(id);
ALTER TABLE meeting_items ADD COLUMN decided_by_id BIGINT REFERENCES users(id);
ALTER TABLE unit_agreements ADD COLUMN created_by_id BIGINT REFERENCES users(id);

UPDATE contacts SET registered_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = contacts.municipality_id AND u.full_name = contacts.registered_by)
  WHERE contacts.registered_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = contacts.municipality_id AND u.full_name = contacts.registered_by) = 1;
UPDATE mappings SET written_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = mappings.municipality_id AND u.full_name = mappings.written_by)
  WHERE mappings.written_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = mappings.municipality_id AND u.full_name = mappings.written_by) = 1;
UPDATE applications SET case_worker_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = applications.municipality_id AND u.full_name = applications.case_worker)
  WHERE applications.case_worker <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = applications.municipality_id AND u.full_name = applications.case_worker) = 1;
UPDATE case_requests SET requested_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = case_requests.municipality_id AND u.full_name = case_requests.requested_by)
  WHERE case_requests.requested_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = case_requests.municipality_id AND u.full_name = case_requests.requested_by) = 1;
UPDATE case_meetings SET written_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = case_meetings.municipality_id AND u.full_name = case_meetings.written_by)
  WHERE case_meetings.written_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = case_meetings.municipality_id AND u.full_name = case_meetings.written_by) = 1;
UPDATE case_alternatives SET recorded_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = case_alternatives.municipality_id AND u.full_name = case_alternatives.recorded_by)
  WHERE case_alternatives.recorded_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = case_alternatives.municipality_id AND u.full_name = case_alternatives.recorded_by) = 1;
UPDATE interim_services SET registered_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = interim_services.municipality_id AND u.full_name = interim_services.registered_by)
  WHERE interim_services.registered_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = interim_services.municipality_id AND u.full_name = interim_services.registered_by) = 1;
UPDATE decisions SET decided_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = decisions.municipality_id AND u.full_name = decisions.decided_by)
  WHERE decisions.decided_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = decisions.municipality_id AND u.full_name = decisions.decided_by) = 1;
UPDATE letters SET made_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = letters.municipality_id AND u.full_name = letters.made_by)
  WHERE letters.made_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = letters.municipality_id AND u.full_name = letters.made_by) = 1;
UPDATE offers SET offered_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = offers.municipality_id AND u.full_name = offers.offered_by)
  WHERE offers.offered_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = offers.municipality_id AND u.full_name = offers.offered_by) = 1;
UPDATE appeals SET registered_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = appeals.municipality_id AND u.full_name = appeals.registered_by)
  WHERE appeals.registered_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = appeals.municipality_id AND u.full_name = appeals.registered_by) = 1;
UPDATE lease_inspections SET done_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = lease_inspections.municipality_id AND u.full_name = lease_inspections.done_by)
  WHERE lease_inspections.done_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = lease_inspections.municipality_id AND u.full_name = lease_inspections.done_by) = 1;
UPDATE priority_rules SET created_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = priority_rules.municipality_id AND u.full_name = priority_rules.created_by)
  WHERE priority_rules.created_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = priority_rules.municipality_id AND u.full_name = priority_rules.created_by) = 1;
UPDATE meetings SET created_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = meetings.municipality_id AND u.full_name = meetings.created_by)
  WHERE meetings.created_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = meetings.municipality_id AND u.full_name = meetings.created_by) = 1;
UPDATE meeting_items SET decided_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = meeting_items.municipality_id AND u.full_name = meeting_items.decided_by)
  WHERE meeting_items.decided_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = meeting_items.municipality_id AND u.full_name = meeting_items.decided_by) = 1;
UPDATE unit_agreements SET created_by_id = (SELECT MIN(u.id) FROM users u WHERE u.municipality_id = unit_agreements.municipality_id AND u.full_name = unit_agreements.created_by)
  WHERE unit_agreements.created_by <> '' AND (SELECT COUNT(*) FROM users u WHERE u.municipality_id = unit_agreements.municipality_id AND u.full_name = unit_agreements.created_by) = 1;

-- "My cases" and "my tasks" filter by it.
CREATE INDEX applications_case_worker ON applications (municipality_id, case_worker_id);
