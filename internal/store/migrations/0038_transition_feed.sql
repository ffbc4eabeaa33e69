-- The transitions register is fed from first contacts and mappings (seed
-- 002's minimum requirement: the municipality knows who is discharged or
-- released without a safe home). A contact or a mapping may say the person
-- is expected to leave an institution, prison, child welfare's aftercare
-- or temporary housing; a contact's date is its leaving_on, a mapping's
-- transition_on. The institution kind says what the institution reveals
-- (transition.Institution: a treatment institution reveals health, a
-- child-welfare institution the household).
ALTER TABLE contacts ADD COLUMN transition_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN institution_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE mappings ADD COLUMN transition_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE mappings ADD COLUMN institution_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE mappings ADD COLUMN transition_on {{DATE}};
