-- Trusted time (时间戳, docs/trusted-time.md).
--
-- Every token the platform's TSA issues is logged: its serial, the imprint it covers, its
-- genTime, what it was for (a signature, the public /api/v1/tsa, an audit checkpoint) and
-- who asked. Each row is written in the transaction of an audit entry that names it, so
-- the log is covered by the audit chain.
CREATE TABLE timestamp_tokens (
  serial_hex TEXT NOT NULL PRIMARY KEY,
  imprint_algorithm TEXT NOT NULL,
  imprint_hex TEXT NOT NULL,
  gen_time INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  requester TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX timestamp_tokens_gen_time ON timestamp_tokens (gen_time);

-- The usage register keeps the token that stamped each signature (serial and genTime;
-- empty and NULL for signatures made before tokens, or by a TSA that sent none).
ALTER TABLE signatures ADD COLUMN tsa_serial TEXT NOT NULL DEFAULT '';
ALTER TABLE signatures ADD COLUMN tsa_gen_time INTEGER;

-- Audit checkpoints chain to each other (each signs the previous checkpoint's hash) and
-- carry a timestamp token over their signature, so none can be removed or re-dated
-- unseen. Rows from before this migration have neither (format 1).
ALTER TABLE audit_checkpoints ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_checkpoints ADD COLUMN prev_checkpoint TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_checkpoints ADD COLUMN token BLOB;
