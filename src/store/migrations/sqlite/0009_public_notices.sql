-- Public notices (公示) kept as rows: claimed, content follows.
SELECT 1;
