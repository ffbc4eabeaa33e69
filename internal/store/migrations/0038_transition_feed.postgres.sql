-- A transition fed from a contact or a mapping is the responsibility of
-- the case's case worker, or of the unit that received the person when the
-- case has none: responsible_id or responsible_unit_id, never neither.
ALTER TABLE transitions ALTER COLUMN responsible_id DROP NOT NULL;
ALTER TABLE transitions ADD COLUMN responsible_unit_id BIGINT;
ALTER TABLE transitions ADD COLUMN institution_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE transitions ADD FOREIGN KEY (responsible_unit_id, municipality_id) REFERENCES org_units(id, municipality_id);
ALTER TABLE transitions ADD CHECK (responsible_id IS NOT NULL OR responsible_unit_id IS NOT NULL);
ALTER TABLE transitions ADD CHECK (institution_kind = '' OR (kind = 'institusjon' AND institution_kind IN ('behandling', 'annen'))
  OR (kind = 'barnevern' AND institution_kind = 'barnevern'));
CREATE INDEX transitions_unit ON transitions (responsible_unit_id, outcome, leaving_on);
