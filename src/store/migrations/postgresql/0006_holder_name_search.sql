-- Holder search by a fragment of the name (HolderRepository::List name_contains: 南宁华鑫,
-- 华鑫科技) without reading every holder: a trigram index (pg_trgm, in PostgreSQL's contrib
-- and a trusted extension, so the database owner may create it). The query is
-- name LIKE '%fragment%', which the index serves for fragments of three characters or
-- more; shorter ones walk holders_name in name order as before.
--
-- Trigrams are taken from the characters the database's LC_CTYPE calls letters: with
-- LC_CTYPE=C no Chinese character is one and the index holds no trigrams for Chinese names
-- (it is still correct, only no faster). Create production databases with
-- LC_CTYPE C.UTF-8 or zh_CN.UTF-8 (docs/storage.md). Where pg_trgm is not installed or may
-- not be created, the index is left out and search works as before.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')
     AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    BEGIN
      CREATE EXTENSION pg_trgm;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'pg_trgm not created (no privilege): holder name search will scan';
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX holders_name_trgm ON holders USING gin (name gin_trgm_ops);
  END IF;
END $$;
