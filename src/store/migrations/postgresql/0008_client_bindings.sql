-- Bindings need consent (docs/security.md "Bindings and vendor authorisations").
--
-- An enterprise client may only *ask* for a holder (client_bindings); clients.holder_id is
-- the binding itself, set only when that holder's administrator confirms the request.
-- status: 'requested', 'confirmed', 'refused'; one request per client.
CREATE TABLE client_bindings (
  client_id TEXT NOT NULL PRIMARY KEY REFERENCES clients (id),
  holder_id TEXT NOT NULL REFERENCES holders (id),
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at BIGINT
);
CREATE INDEX client_bindings_holder ON client_bindings (holder_id, status, requested_at, client_id);

-- Bindings made before this migration were never agreed by the holder: an enterprise
-- client's holder becomes a request its administrator answers, and other client types lose
-- the holder they named (they never have one).
INSERT INTO client_bindings (client_id, holder_id, status, reason, requested_at, decided_by, decided_at)
  SELECT id, holder_id, 'requested', '', created_at, '', NULL FROM clients
  WHERE type = 'enterprise' AND holder_id IS NOT NULL;
UPDATE clients SET holder_id = NULL WHERE holder_id IS NOT NULL;

-- Which seal makers (registered trust anchors) a vendor may file seals from, recorded by
-- the operator.
CREATE TABLE vendor_makers (
  client_id TEXT NOT NULL REFERENCES clients (id),
  anchor_id TEXT NOT NULL REFERENCES trust_anchors (id),
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, anchor_id)
);

-- A vendor client's unlock key: the public half of an SM2 key derived from the bearer
-- token issued to it (the private half is never stored; it is derived again from the token
-- the vendor presents).
CREATE TABLE client_unlock_keys (
  client_id TEXT NOT NULL PRIMARY KEY REFERENCES clients (id),
  public_key BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);

-- The copy of a seal's private key kept for one vendor authorisation: SM4-GCM under a key
-- that needs both the KEK and a secret encrypted to the vendor's unlock key. Deleted when
-- the authorisation is withdrawn or expires.
CREATE TABLE authorisation_keys (
  authorisation_id TEXT NOT NULL REFERENCES authorisations (id),
  seal_id TEXT NOT NULL REFERENCES seals (id),
  client_id TEXT NOT NULL REFERENCES clients (id),
  encrypted_secret BYTEA NOT NULL,
  wrapped_key BYTEA NOT NULL,
  kek_id TEXT NOT NULL,
  valid_until BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (authorisation_id, seal_id)
);
CREATE INDEX authorisation_keys_valid_until ON authorisation_keys (valid_until, authorisation_id);
