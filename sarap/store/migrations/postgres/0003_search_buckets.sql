-- Search latency (issue 3 §10).  Search ranks the newest matches only (search_rank_window), but the GIN
-- index returns matches in no useful order, so a common word meant visiting every matching row to find
-- the newest.  Each row now carries its ingest bucket (seq / 1024, the constant BUCKET in postgres.py) as a
-- one-token tsvector in the same GIN index, so "matches among the newest buckets" is answered inside the
-- index and only those rows are visited.
DROP INDEX search_index_tsv;
ALTER TABLE search_index ADD COLUMN bucket TSVECTOR;
-- lz4 decompresses the (toasted, ~3 KB) tsvectors about twice as fast as pglz when ranking and checking
-- phrases; a server built without lz4 keeps pglz.
DO $$ BEGIN
    ALTER TABLE search_index ALTER COLUMN tsv SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL;
END $$;
-- "|| ''" makes a new value, so existing rows are recompressed with the column's method.
UPDATE search_index SET tsv = tsv || ''::tsvector, bucket = ('#' || (seq / 1024))::tsvector;
ALTER TABLE search_index ALTER COLUMN bucket SET NOT NULL;
CREATE INDEX search_index_tsv ON search_index USING GIN (tsv, bucket);
