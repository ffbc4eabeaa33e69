-- The access log and the audit chain can only grow. (Someone with direct
-- access to the file can drop these triggers; the hash chain then shows
-- any change to the audit log.)
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'innsynsloggen kan ikke endres'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'innsynsloggen kan ikke slettes'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'revisjonsloggen kan ikke endres'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'revisjonsloggen kan ikke slettes'); END;
