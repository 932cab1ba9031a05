-- The merged outcome of a call's outcome events (LZ4-compressed JSON of hindsight_model::Outcome,
-- behind the body format tag), kept on the call's facts row and refreshed whenever an event about
-- the call is written or the call itself is. A campaign report then reads one table: reading and
-- merging 750,000 events on every report took longer than reading the million calls.
-- NULL when the call has no events. outcome_events stays the source of truth.
ALTER TABLE call_facts ADD COLUMN events_outcome BLOB;
