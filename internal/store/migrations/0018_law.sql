-- The law in what already exists: the appeal deadline counted from
-- notification, the provisional answer's promised date, leases without an
-- end date, the deposit's legal cap and where it is held.

-- The municipality's rules, each with the lawful default:
-- paper_post_days: a letter sent by paper post is taken to have reached
--   the party this many days after it was sent; the appeal deadline runs
--   from then (forvaltningsloven § 29 first paragraph: "fra det tidspunkt
--   underretning om vedtaket er kommet fram"). The law names no number;
--   five days covers Posten's delivery every other weekday and a weekend.
-- appeal_weeks: three weeks is the law's period (§ 29); a municipality may
--   give more, never less.
-- deposit_months: the municipality's own cap on the deposit; three months
--   is common practice (seed 002), husleieloven § 3-5 caps it at six.
ALTER TABLE municipalities ADD COLUMN paper_post_days INTEGER NOT NULL DEFAULT 5 CHECK (paper_post_days >= 0 AND paper_post_days <= 14);
ALTER TABLE municipalities ADD COLUMN appeal_weeks INTEGER NOT NULL DEFAULT 3 CHECK (appeal_weeks >= 3 AND appeal_weeks <= 12);
ALTER TABLE municipalities ADD COLUMN deposit_months INTEGER NOT NULL DEFAULT 3 CHECK (deposit_months >= 0 AND deposit_months <= 6);

-- How and when each letter was sent, and when it is taken to have reached
-- the party; a decision letter names the decision version it carried.
ALTER TABLE letters ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE letters ADD COLUMN sent_on {{DATE}};
ALTER TABLE letters ADD COLUMN notified_on {{DATE}};
ALTER TABLE letters ADD COLUMN decision_id BIGINT;

-- A decision's notification: the appeal deadline (appeal_due) is counted
-- again from notified_on when the decision letter is recorded as sent.
ALTER TABLE decisions ADD COLUMN notified_on {{DATE}};
ALTER TABLE decisions ADD COLUMN notified_via TEXT NOT NULL DEFAULT '';

-- A late appeal is registered all the same; the case worker decides
-- whether it is considered (forvaltningsloven § 31), with the reason.
ALTER TABLE appeals ADD COLUMN late_decision TEXT NOT NULL DEFAULT '' CHECK (late_decision IN ('', 'behandles', 'avvises'));
ALTER TABLE appeals ADD COLUMN late_reason TEXT NOT NULL DEFAULT '';

-- The decision date the provisional answer promised (forvaltningsloven
-- § 11 a second paragraph: "når svar kan ventes").
ALTER TABLE applications ADD COLUMN provisional_expected_on {{DATE}};

-- Where the deposit is held: a separate blocked deposit account in the
-- tenant's name (husleieloven § 3-5) or a guarantee from NAV instead
-- (§ 3-6); '' when no deposit is asked.
ALTER TABLE leases ADD COLUMN deposit_held TEXT NOT NULL DEFAULT '' CHECK (deposit_held IN ('', 'depositumskonto', 'nav_garanti'));

-- The municipality's lease term per housing category: months, or 0 for a
-- lease without an end date (tidsubestemt). Without a row, Housing First
-- homes are permanent (seed 002) and the rest run three years (seed 002:
-- "ofte for tre år"; husleieloven §§ 9-3 and 11-1).
CREATE TABLE lease_terms (
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  category        TEXT NOT NULL,
  months          INTEGER NOT NULL CHECK (months >= 0 AND months <= 120),
  PRIMARY KEY (municipality_id, category)
);

-- House rules made with the residents (seeds 000 and 002: residents want
-- a say in "avtaler og husordensregler"): per building, versioned; a
-- draft is open to the residents' comments until it is put in force, and
-- the version in force replaces the one before. A lease names the version
-- in force when it was signed.
CREATE TABLE house_rules (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  building_id     BIGINT NOT NULL,
  version         INTEGER NOT NULL CHECK (version >= 1),
  status          TEXT NOT NULL DEFAULT 'utkast' CHECK (status IN ('utkast', 'gjeldende', 'erstattet')),
  body            TEXT NOT NULL,
  written_by      TEXT NOT NULL,
  in_force_on     {{DATE}},
  created_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (building_id, version),
  UNIQUE (id, municipality_id),
  FOREIGN KEY (building_id, municipality_id) REFERENCES buildings(id, municipality_id)
);
CREATE INDEX house_rules_building ON house_rules (municipality_id, building_id, status);

-- A resident's comment on a draft, given on Min side.
CREATE TABLE house_rule_comments (
  id              {{ID}},
  municipality_id BIGINT NOT NULL,
  house_rules_id  BIGINT NOT NULL,
  person_id       BIGINT NOT NULL,
  body            TEXT NOT NULL,
  created_at      {{TIMESTAMP}} NOT NULL,
  FOREIGN KEY (house_rules_id, municipality_id) REFERENCES house_rules(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX house_rule_comments_rules ON house_rule_comments (house_rules_id);
CREATE INDEX house_rule_comments_person ON house_rule_comments (person_id);

ALTER TABLE leases ADD COLUMN house_rules_id BIGINT REFERENCES house_rules(id);
