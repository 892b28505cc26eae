-- Search latency (issue 3 §10), continued.  A filtered search (source, kind, a date range) used to visit
-- every row matching the words to test the filter on the joined document.  The bucket column becomes
-- "facets": the bucket plus the document's kind, source (md5, so any name is one token) and month of
-- publication ("?" when published does not start YYYY-MM) - see PostgresStore._facet_query.  The GIN
-- index then narrows to rows that may pass the filters; the join with documents still decides exactly.
DROP INDEX search_index_tsv;
ALTER TABLE search_index RENAME COLUMN bucket TO facets;
UPDATE search_index s SET facets = array_to_tsvector(ARRAY[
    '#' || (s.seq / 1024), 'k:' || d.kind, 's:' || md5(COALESCE(d.source, '')),
    'm:' || COALESCE(substring(d.published from '^[0-9]{4}-[0-9]{2}'), '?')])
FROM documents d WHERE d.seq = s.seq;
CREATE INDEX search_index_tsv ON search_index USING GIN (tsv, facets);
