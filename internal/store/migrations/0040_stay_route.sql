-- A stay in temporary housing (sosialtjenesteloven § 27) records the kind
-- of its route out beside the description (transition.Route), and the
-- transition out of temporary housing it opened in the register, so that
-- ending the stay gives that transition its outcome (seed 002: the
-- municipality knows who leaves without a safe home). Stays registered
-- before have no link: their transitions keep being closed by hand.
ALTER TABLE temporary_stays ADD COLUMN route_kind TEXT NOT NULL DEFAULT ''
  CHECK (route_kind IN ('', 'egen_bolig', 'kommunal_bolig', 'annet_midlertidig', 'uten_bolig'));
ALTER TABLE temporary_stays ADD COLUMN transition_id BIGINT;
CREATE INDEX temporary_stays_transition ON temporary_stays (transition_id);
