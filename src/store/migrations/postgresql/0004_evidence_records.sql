-- Evidence records (验证证据记录, docs/trusted-time.md "Evidence records"): for each signature
-- the platform makes, the validation data current at signing (certificate chains, CRLs,
-- the signed seal-status answer, the token) with archive timestamps, keyed by SM3 of the
-- signature value, kept so the signature can be verified offline after every certificate
-- has expired. renew_after: when the newest archive timestamp should be renewed (before
-- its TSA certificate expires).
CREATE TABLE evidence_records (
  signature_hash TEXT NOT NULL PRIMARY KEY,
  signature_id TEXT NOT NULL,
  der BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  renew_after BIGINT NOT NULL,
  renewed_at BIGINT
);
CREATE INDEX evidence_records_renew_after ON evidence_records (renew_after);
