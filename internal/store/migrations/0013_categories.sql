-- What a unit's role on a person's case reveals about the person: that a
-- substance-treatment team follows someone is itself health and substance
-- data (GDPR art. 9), that NAV pays social assistance is financial data
-- (NAV-loven § 7). A comma-separated list of access categories; a case
-- role and a consent to the unit are shown only to grants that include
-- them all. New units get the housing-need category; the kinds below get
-- what their work reveals.
ALTER TABLE org_units ADD COLUMN reveals TEXT NOT NULL DEFAULT 'boligbehov';
UPDATE org_units SET reveals = 'helse,rus' WHERE kind IN ('psykisk_helse_rus', 'fact', 'housing_first');
UPDATE org_units SET reveals = 'helse' WHERE kind = 'hjemmetjeneste';
UPDATE org_units SET reveals = 'okonomi' WHERE kind = 'nav';
UPDATE org_units SET reveals = 'husstand' WHERE kind = 'barnevern';
UPDATE org_units SET reveals = 'oppfolging' WHERE kind IN ('boteam', 'miljovaktmester');
UPDATE org_units SET reveals = 'leieforhold' WHERE kind = 'eiendom';
