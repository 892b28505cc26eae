-- A covering index of the columns search filters on, so that joining FTS matches to documents
-- reads this narrow index instead of the wide rows holding text and JSON (measured on 100K
-- documents: 18 ms -> 4 ms to walk 10,000 matches).
CREATE INDEX documents_facets ON documents(seq, published, source, kind, reprint_of, id);
