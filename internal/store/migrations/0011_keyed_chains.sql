-- The audit chain and the access log are chained with a keyed MAC
-- (HMAC-SHA256 under a key from the key ring, kept outside the database):
-- recomputing the links after a change needs the key. key_id names the
-- ring key each entry was made with, so entries made before a rotation
-- still verify. audit_log's prev_hash and hash hold the MACs from now on.
ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';

-- The access log becomes one chain per municipality like the audit log:
-- seq numbers its rows without gaps, mac covers the row and prev_mac.
-- Rows written before this migration are numbered and sealed by Husly
-- when it first opens the database with its keys.
ALTER TABLE access_log ADD COLUMN seq BIGINT;
ALTER TABLE access_log ADD COLUMN prev_mac TEXT;
ALTER TABLE access_log ADD COLUMN mac TEXT;
ALTER TABLE access_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX access_log_chain ON access_log (municipality_id, seq);
