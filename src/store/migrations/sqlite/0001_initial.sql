-- eseal schema version 1, SQLite (docs/storage.md). Kept in step with
-- ../postgresql/0001_initial.sql: same tables, columns, constraints and index names.
-- Conventions: times are unix seconds (INTEGER); booleans are 0/1; blobs are BLOB and never
-- NULL (zero bytes is an empty blob); enums are their model.cc names; an empty optional
-- reference is NULL so that foreign keys and unique keys hold. STRICT tables enforce the
-- column types as PostgreSQL does.

CREATE TABLE areas (
  code TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
  parent_code TEXT REFERENCES areas (code) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX areas_parent_code ON areas (parent_code);

CREATE TABLE holders (
  id TEXT NOT NULL PRIMARY KEY,
  kind TEXT NOT NULL,
  uscc TEXT UNIQUE,
  name TEXT NOT NULL,
  legal_rep TEXT NOT NULL,
  status TEXT NOT NULL,
  area_code TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX holders_name ON holders (name, id);
CREATE INDEX holders_kind ON holders (kind);
CREATE INDEX holders_status ON holders (status);
CREATE INDEX holders_area_code ON holders (area_code);

CREATE TABLE impressions (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  holder_id TEXT NOT NULL REFERENCES holders (id),
  seal_kind TEXT NOT NULL,
  png BLOB NOT NULL,
  supplied_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX impressions_holder ON impressions (holder_id, seal_kind, created_at);

CREATE TABLE accounts (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  holder_id TEXT REFERENCES holders (id),
  area_code TEXT NOT NULL,
  disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX accounts_holder_id ON accounts (holder_id, created_at, id);
CREATE INDEX accounts_created_at ON accounts (created_at, id);

CREATE TABLE clients (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  scenario TEXT NOT NULL,
  contact TEXT NOT NULL,
  holder_id TEXT REFERENCES holders (id),
  status TEXT NOT NULL,
  rate_limit_per_minute INTEGER NOT NULL,
  decision_reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX clients_holder_id ON clients (holder_id);
CREATE INDEX clients_status ON clients (status, created_at, id);
CREATE INDEX clients_created_at ON clients (created_at, id);

CREATE TABLE credentials (
  token_hash TEXT NOT NULL PRIMARY KEY,
  account_id TEXT REFERENCES accounts (id),
  client_id TEXT REFERENCES clients (id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  CONSTRAINT credentials_one_owner CHECK ((account_id IS NULL) <> (client_id IS NULL))
) STRICT;
CREATE INDEX credentials_account_id ON credentials (account_id);
CREATE INDEX credentials_client_id ON credentials (client_id);

CREATE TABLE trust_anchors (
  id TEXT NOT NULL PRIMARY KEY,
  system_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  cert_der BLOB NOT NULL,
  crl_url TEXT NOT NULL,
  status_url TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX trust_anchors_active ON trust_anchors (active, created_at, id);
CREATE INDEX trust_anchors_created_at ON trust_anchors (created_at, id);

-- applications and seals refer to each other (the seal an application concerns, the
-- application a seal came from); those references are checked at commit.
CREATE TABLE applications (
  id TEXT NOT NULL PRIMARY KEY,
  holder_id TEXT NOT NULL REFERENCES holders (id),
  type TEXT NOT NULL,
  seal_kind TEXT NOT NULL,
  seal_id TEXT REFERENCES seals (id) DEFERRABLE INITIALLY DEFERRED,
  seal_name TEXT NOT NULL,
  reason TEXT NOT NULL,
  protected_key BLOB NOT NULL,
  public_key_spki BLOB NOT NULL,
  status TEXT NOT NULL,
  next_level INTEGER NOT NULL,
  submitted_by TEXT NOT NULL,
  result_seal_id TEXT REFERENCES seals (id) DEFERRABLE INITIALLY DEFERRED,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX applications_holder_id ON applications (holder_id, created_at, id);
CREATE INDEX applications_status ON applications (status, created_at, id);
CREATE INDEX applications_type ON applications (type, created_at, id);
CREATE INDEX applications_created_at ON applications (created_at, id);
CREATE INDEX applications_seal_id ON applications (seal_id);
CREATE INDEX applications_result_seal_id ON applications (result_seal_id);

CREATE TABLE application_reviews (
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  level INTEGER NOT NULL,
  area_code TEXT NOT NULL,
  reviewer_id TEXT NOT NULL,
  approved INTEGER NOT NULL CHECK (approved IN (0, 1)),
  reason TEXT NOT NULL,
  decided_at INTEGER NOT NULL,
  PRIMARY KEY (application_id, position)
) STRICT;

CREATE TABLE seals (
  id TEXT NOT NULL PRIMARY KEY,
  esid TEXT UNIQUE,
  holder_id TEXT NOT NULL REFERENCES holders (id),
  kind TEXT NOT NULL,
  copy_no INTEGER NOT NULL,
  name TEXT NOT NULL,
  origin TEXT NOT NULL,
  status TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER NOT NULL,
  seal_der BLOB NOT NULL,
  image_png BLOB NOT NULL,
  signer_cert_der BLOB NOT NULL,
  cert_serial_hex TEXT NOT NULL,
  protected_key BLOB NOT NULL,
  kek_id TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL,
  locked INTEGER NOT NULL CHECK (locked IN (0, 1)),
  requires_approval INTEGER NOT NULL CHECK (requires_approval IN (0, 1)),
  anchor_id TEXT REFERENCES trust_anchors (id),
  replaces_id TEXT REFERENCES seals (id) DEFERRABLE INITIALLY DEFERRED,
  application_id TEXT REFERENCES applications (id) DEFERRABLE INITIALLY DEFERRED,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX seals_holder_id ON seals (holder_id, created_at, id);
CREATE INDEX seals_kind ON seals (kind);
CREATE INDEX seals_status ON seals (status, created_at, id);
CREATE INDEX seals_origin ON seals (origin);
CREATE INDEX seals_created_at ON seals (created_at, id);
CREATE INDEX seals_anchor_id ON seals (anchor_id);
CREATE INDEX seals_replaces_id ON seals (replaces_id);
CREATE INDEX seals_application_id ON seals (application_id);

CREATE TABLE seal_events (
  n INTEGER PRIMARY KEY,
  seal_id TEXT NOT NULL REFERENCES seals (id),
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL
) STRICT;
CREATE INDEX seal_events_seal_id ON seal_events (seal_id, at, n);

CREATE TABLE authorisations (
  id TEXT NOT NULL PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  holder_id TEXT NOT NULL REFERENCES holders (id),
  valid_until INTEGER NOT NULL,
  withdrawn_at INTEGER,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX authorisations_client_id ON authorisations (client_id, created_at, id);
CREATE INDEX authorisations_holder_id ON authorisations (holder_id, created_at, id);
CREATE INDEX authorisations_created_at ON authorisations (created_at, id);

CREATE TABLE authorisation_seals (
  authorisation_id TEXT NOT NULL REFERENCES authorisations (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  seal_id TEXT NOT NULL REFERENCES seals (id),
  PRIMARY KEY (authorisation_id, position)
) STRICT;
CREATE INDEX authorisation_seals_seal_id ON authorisation_seals (seal_id);

CREATE TABLE seal_grants (
  seal_id TEXT NOT NULL REFERENCES seals (id),
  account_id TEXT NOT NULL REFERENCES accounts (id),
  can_use INTEGER NOT NULL CHECK (can_use IN (0, 1)),
  can_approve INTEGER NOT NULL CHECK (can_approve IN (0, 1)),
  PRIMARY KEY (seal_id, account_id)
) STRICT;
CREATE INDEX seal_grants_account_id ON seal_grants (account_id);

CREATE TABLE certificates (
  serial_hex TEXT NOT NULL PRIMARY KEY,
  role TEXT NOT NULL,
  subject TEXT NOT NULL,
  der BLOB NOT NULL,
  not_after INTEGER NOT NULL,
  revoked_at INTEGER,
  revocation_reason INTEGER NOT NULL
) STRICT;
CREATE INDEX certificates_revoked_at ON certificates (revoked_at, serial_hex)
  WHERE revoked_at IS NOT NULL;

CREATE TABLE platform_keys (
  name TEXT NOT NULL PRIMARY KEY,
  cert_der BLOB NOT NULL,
  protected_key BLOB NOT NULL,
  kek_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE signatures (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  seal_id TEXT NOT NULL REFERENCES seals (id),
  holder_id TEXT NOT NULL REFERENCES holders (id),
  actor_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  document_hash TEXT NOT NULL,
  signed_hash TEXT NOT NULL,
  document_name TEXT NOT NULL,
  format TEXT NOT NULL,
  request_id TEXT NOT NULL,
  signed_at INTEGER NOT NULL
) STRICT;
CREATE INDEX signatures_seal_id ON signatures (seal_id, signed_at);
CREATE INDEX signatures_holder_id ON signatures (holder_id, signed_at);
CREATE INDEX signatures_signed_hash ON signatures (signed_hash);
CREATE INDEX signatures_document_hash ON signatures (document_hash);
CREATE INDEX signatures_signed_at ON signatures (signed_at, n);

CREATE TABLE usage_requests (
  id TEXT NOT NULL PRIMARY KEY,
  seal_id TEXT NOT NULL REFERENCES seals (id),
  requester_id TEXT NOT NULL,
  document_hash TEXT NOT NULL,
  purpose TEXT NOT NULL,
  status TEXT NOT NULL,
  approver_id TEXT NOT NULL,
  decision_reason TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  signature_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX usage_requests_seal_id ON usage_requests (seal_id, created_at, id);
CREATE INDEX usage_requests_status ON usage_requests (status, created_at, id);
CREATE INDEX usage_requests_created_at ON usage_requests (created_at, id);

CREATE TABLE filing_batches (
  id TEXT NOT NULL PRIMARY KEY,
  signed_export BLOB NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  acknowledged_at INTEGER
) STRICT;
CREATE INDEX filing_batches_created_at ON filing_batches (created_at, id);

CREATE TABLE filing_records (
  id TEXT NOT NULL PRIMARY KEY,
  seal_id TEXT NOT NULL REFERENCES seals (id),
  event TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  batch_id TEXT REFERENCES filing_batches (id) DEFERRABLE INITIALLY DEFERRED,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX filing_records_seal_id ON filing_records (seal_id);
CREATE INDEX filing_records_batch_id ON filing_records (batch_id, created_at, id);
CREATE INDEX filing_records_status ON filing_records (status, created_at, id);
CREATE INDEX filing_records_created_at ON filing_records (created_at, id);

CREATE TABLE archives (
  id TEXT NOT NULL PRIMARY KEY,
  holder_id TEXT NOT NULL REFERENCES holders (id),
  document_hash TEXT NOT NULL,
  document BLOB NOT NULL,
  report_json TEXT NOT NULL,
  evidence BLOB NOT NULL,
  entry_hash TEXT NOT NULL,
  platform_signature BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX archives_holder_id ON archives (holder_id, created_at, id);
CREATE INDEX archives_created_at ON archives (created_at, id);
CREATE INDEX archives_document_hash ON archives (document_hash);

-- The audit log (审计日志). details_json is TEXT, not a JSON type, so the bytes that were
-- hashed are the bytes that come back. No foreign keys: entries outlive what they name.
CREATE TABLE audit_log (
  seq INTEGER NOT NULL PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  details_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);

-- One row: the chain head. AuditRepository::LockHead locks it (PostgreSQL FOR UPDATE) so
-- appends are serialised; Insert moves it forward by exactly one.
CREATE TABLE audit_head (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_checkpoints (
  seq INTEGER NOT NULL PRIMARY KEY,
  hash TEXT NOT NULL,
  signature BLOB NOT NULL,
  at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  name TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
