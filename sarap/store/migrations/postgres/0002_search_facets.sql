-- The columns search filters on, beside seq, so filtered searches can use index-only scans
-- instead of visiting the wide rows (the same purpose as SQLite's migration 2).
CREATE INDEX documents_facets ON documents(seq) INCLUDE (published, source, kind, reprint_of, id);
