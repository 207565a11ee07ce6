-- Kept in step with ../postgresql/0006_holder_name_search.sql, which adds a trigram index
-- for holder search by a fragment of the name (pg_trgm). SQLite has no such index; its
-- search stays instr(name, ?) over holders, which is fast at the sizes SQLite serves.
-- holders_name_trgm is the one index the two schemas do not share (migrate_test.cc).
SELECT 1;
