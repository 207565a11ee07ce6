-- Sequence-based audit append (docs/storage.md "Audit"): a use case inserts its entry here,
-- in its own transaction and without any global lock, each entry MACed under the audit key
-- (PRF_KEK) over a random entry_id so it can be neither forged nor replayed. Right after
-- commit (and at start, before verification and checkpoints) the chaining step takes the
-- audit head lock, moves the pending entries in id order into audit_log with the next seq
-- and the chained MAC, and deletes them here. id only orders; gaps in it are harmless.
CREATE TABLE audit_pending (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entry_id TEXT NOT NULL UNIQUE,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  details_json TEXT NOT NULL,
  mac TEXT NOT NULL
);
-- Which pending entry a chained one came from: a pending row replayed after its original
-- was chained is refused by this key.
ALTER TABLE audit_log ADD COLUMN entry_id TEXT;
CREATE UNIQUE INDEX audit_log_entry_id ON audit_log (entry_id);
