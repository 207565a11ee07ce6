-- The expiry sweep asks for active seals whose validity has ended (ExpireSeals), in SQL
-- and in batches, so a province's seals are never read a thousand at a time and filtered.
CREATE INDEX seals_status_valid_to ON seals (status, valid_to);
