-- Indexes for each role's start page and the quick search: every panel
-- reads the first rows of one index range (open offers by answer date,
-- open appeals by date, a case worker's open cases by deadline, leases
-- starting or ending in a week), so a start page costs the same for a
-- municipality of 500 persons and one of 100,000.
CREATE INDEX offers_open ON offers (municipality_id, status, respond_by);
CREATE INDEX appeals_open ON appeals (municipality_id, status, received_on);
CREATE INDEX applications_worker_open ON applications (municipality_id, case_worker_id, status, decision_due);
CREATE INDEX applications_unit_open ON applications (municipality_id, org_unit_id, status, decision_due);
CREATE INDEX applications_received ON applications (municipality_id, received_on);
CREATE INDEX leases_starting ON leases (municipality_id, start_date);
CREATE INDEX leases_terminating ON leases (municipality_id, terminated_on);
CREATE INDEX leases_ending ON leases (municipality_id, end_date);
CREATE INDEX units_code ON units (municipality_id, code);
CREATE INDEX units_status ON units (municipality_id, status, code);
CREATE INDEX meetings_ahead ON meetings (municipality_id, status, held_on);
CREATE INDEX notes_author ON notes (municipality_id, written_by, written_at);
CREATE INDEX break_glass_open_review ON break_glass (municipality_id, review_unit_id, reviewed_at);
