-- Public notices (公示) kept as rows: one per event of a government department's seal the
-- public is told of (a change: the replacing seal made and the old one superseded; a
-- suspension, resumption or revocation), written in the event's own transaction
-- (PlatformImpl::AppendSealEvent), so the anonymous notices page is one indexed read
-- instead of a walk over every department's seals and events. Names are copied as they
-- were when the event happened. Kept in step with ../postgresql/0009_public_notices.sql.
CREATE TABLE notices (
  n INTEGER PRIMARY KEY,
  seal_id TEXT NOT NULL REFERENCES seals (id),
  esid TEXT NOT NULL,
  seal_name TEXT NOT NULL,
  holder_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  event TEXT NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
-- Newest first: the index read backwards.
CREATE INDEX notices_at ON notices (at, n);
CREATE INDEX notices_seal_id ON notices (seal_id);

-- The events before this migration, in their order.
INSERT INTO notices (seal_id, esid, seal_name, holder_name, kind, event, reason, at)
SELECT s.id, COALESCE(s.esid, ''), s.name, h.name, s.kind, e.type, e.reason, e.at
FROM seal_events e
JOIN seals s ON s.id = e.seal_id
JOIN holders h ON h.id = s.holder_id
WHERE h.kind = 'department'
  AND (e.type IN ('revoked', 'superseded', 'suspended', 'resumed')
       OR (e.type = 'made' AND s.replaces_id IS NOT NULL AND s.replaces_id <> ''))
ORDER BY e.at, e.n;
