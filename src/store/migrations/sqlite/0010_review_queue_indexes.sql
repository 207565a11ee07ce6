-- A reviewer's queue (ApplicationRepository::List with holder_kind and holder_area_prefix:
-- the pending applications of the departments of an area, oldest first) at provincial
-- scale (docs/benchmarks.md "Province scale"). Kept in step with ../postgresql/.
--
-- The departments of an area come from one index range, without reading holders rows:
-- (kind, area_code, id) replaces (kind). The pending applications come in queue order
-- from (status, created_at, id) with holder_id added, so the department filter is applied
-- on index entries alone, and only the page's rows are read (the query selects the page's
-- ids first, repos_seals.cc).
DROP INDEX holders_kind;
CREATE INDEX holders_kind_area ON holders (kind, area_code, id);
DROP INDEX applications_status;
CREATE INDEX applications_status_holder ON applications (status, created_at, id, holder_id);
