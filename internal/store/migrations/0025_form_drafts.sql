-- Drafts of long forms (a mapping, an application, a decision), saved as
-- staff type so that an expired session never loses their work. One per
-- user and form; the values are sealed like other personal data (AES-GCM,
-- keys outside the database), tagged with the data categories they hold,
-- and the row is deleted when the form is sent or the draft grows old.
CREATE TABLE form_drafts (
  id              {{ID}},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  user_id         BIGINT NOT NULL,
  form_key        TEXT NOT NULL,
  person_id       BIGINT NOT NULL,
  -- The categories the values reveal, comma-separated (access.Category codes).
  category        TEXT NOT NULL,
  body_enc        TEXT NOT NULL,
  updated_at      {{TIMESTAMP}} NOT NULL,
  UNIQUE (user_id, form_key),
  FOREIGN KEY (user_id, municipality_id) REFERENCES users(id, municipality_id),
  FOREIGN KEY (person_id, municipality_id) REFERENCES persons(id, municipality_id)
);
CREATE INDEX form_drafts_person ON form_drafts (person_id);
