-- The persisted narrative state (sarap/narrative_store.py), updated as documents are ingested.
-- narrative_documents: the original documents already taken into account (with their ingest seq, for
--   the window of recent sentences new ones are compared with);
-- narrative_claims: every sentence that can join a narrative (what sarap.narratives.extract_claims keeps),
--   with the cluster it belongs to (NULL: none yet) and its content lemmas (a cheap pre-filter before
--   the sentence is re-encoded); boilerplate = 1 once its source repeated it verbatim in another document;
-- narratives: one row per cluster of claims from two or more documents, its Narrative record as JSON
--   (NULL when the cluster is one speaker's statement quoted verbatim, which is not a narrative).
CREATE TABLE narrative_documents (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id),
    seq BIGINT NOT NULL
);
CREATE INDEX narrative_documents_seq ON narrative_documents(seq);

CREATE TABLE narrative_claims (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    seq BIGINT NOT NULL,
    text TEXT NOT NULL,
    source TEXT, published TEXT, speaker TEXT, speaker_name TEXT,
    in_quote INTEGER NOT NULL,
    entities TEXT NOT NULL,
    lemmas TEXT NOT NULL,
    verbatim TEXT NOT NULL,
    boilerplate INTEGER NOT NULL DEFAULT 0,
    narrative_id TEXT,
    PRIMARY KEY (doc_id, start_offset)
);
CREATE INDEX narrative_claims_seq ON narrative_claims(seq);
CREATE INDEX narrative_claims_narrative ON narrative_claims(narrative_id);
CREATE INDEX narrative_claims_verbatim ON narrative_claims(source, verbatim);

CREATE TABLE narratives (
    id TEXT PRIMARY KEY,
    sources INTEGER NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    narrative TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX narratives_sources ON narratives(sources);
