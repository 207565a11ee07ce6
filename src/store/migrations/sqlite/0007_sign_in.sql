-- People sign in (docs/security.md "Credentials"): a login per account with a slow salted
-- password hash, failure counting and lockout, and a TOTP secret sealed under the KEK;
-- browser sessions with idle and absolute ends; API tokens with a public id, a label,
-- scopes and an expiry.
CREATE TABLE account_logins (
  account_id TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id),
  login TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  failures INTEGER NOT NULL,
  locked_until INTEGER,
  totp_sealed BLOB,
  totp_last_step INTEGER NOT NULL,
  enrolment_hash TEXT NOT NULL,
  enrolment_expires INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  id_hash TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  csrf_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE INDEX sessions_account_id ON sessions (account_id);

ALTER TABLE credentials ADD COLUMN id TEXT;
ALTER TABLE credentials ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE credentials ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read sign write';
ALTER TABLE credentials ADD COLUMN expires_at INTEGER;
CREATE UNIQUE INDEX credentials_id ON credentials (id);
-- Tokens made before this had no id and never expired: they get an id (from their hash,
-- which is not secret) and 90 days from the upgrade to be rotated.
UPDATE credentials SET id = 'tok_' || substr(token_hash, 1, 20) WHERE id IS NULL;
UPDATE credentials SET expires_at = CAST(strftime('%s', 'now') AS INTEGER) + 90 * 86400
  WHERE expires_at IS NULL;
