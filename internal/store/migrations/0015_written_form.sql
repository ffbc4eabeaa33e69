-- Letters in bokmål or nynorsk. The municipality's choice of written form
-- (språklova § 11: bokmål, nynorsk or neutral; bokmål until an
-- administrator sets it), and the form a person has asked for their
-- letters in ('' = the municipality's). The person's wish wins (the
-- principle of språklova § 15).
ALTER TABLE municipalities ADD COLUMN written_form TEXT NOT NULL DEFAULT 'bokmal'
  CHECK (written_form IN ('bokmal', 'nynorsk', 'noytral'));
ALTER TABLE persons ADD COLUMN written_form TEXT NOT NULL DEFAULT ''
  CHECK (written_form IN ('', 'bokmal', 'nynorsk'));
