-- Sentences about a case kept as a catalogue key and arguments (a phrase,
-- JSON), so they are written in the reader's language when shown. Rows
-- written before keep their text in the old column and are shown as they
-- are; an empty phrase means such a row.

-- A message to a unit: the phrase replaces the bokmål message.
ALTER TABLE notifications ADD COLUMN phrase TEXT NOT NULL DEFAULT '';

-- An agenda item's reasons as phrases, beside the bokmål reasons the
-- minutes and the API's command-line readers keep.
ALTER TABLE meeting_items ADD COLUMN reason_phrases TEXT NOT NULL DEFAULT '';

-- Why a first contact is or is not homelessness, as a phrase beside the
-- bokmål reason.
ALTER TABLE contacts ADD COLUMN homeless_phrase TEXT NOT NULL DEFAULT '';
