-- The first schema: documents with their full JSON, normalised analysis tables, the knowledge base,
-- rejected inputs and the FTS5 lemma index.  Offsets are Python string offsets into documents.text.
CREATE TABLE documents (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL UNIQUE,
    title TEXT, source TEXT, url TEXT, published TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    path TEXT,
    ingested_at TEXT NOT NULL,
    reprint_of TEXT REFERENCES documents(id),
    minhash BLOB,
    json TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_source ON documents(source);
CREATE INDEX documents_reprint_of ON documents(reprint_of);

CREATE TABLE entities (
    key TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE aliases (
    key TEXT NOT NULL REFERENCES entities(key),
    type TEXT NOT NULL,
    alias TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (key, alias)
);
CREATE INDEX aliases_lookup ON aliases(type, alias);

CREATE TABLE document_entities (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    local_id TEXT NOT NULL,
    entity_key TEXT NOT NULL REFERENCES entities(key),
    name TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    sentiment TEXT,
    PRIMARY KEY (doc_id, local_id)
);
CREATE INDEX document_entities_key ON document_entities(entity_key);

CREATE TABLE mentions (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    local_id TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX mentions_doc ON mentions(doc_id);
CREATE INDEX mentions_key ON mentions(entity_key);

CREATE TABLE roles (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    entity_key TEXT NOT NULL,
    title TEXT NOT NULL,
    of TEXT,
    published TEXT,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL
);
CREATE INDEX roles_key ON roles(entity_key);

CREATE TABLE quotes (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    n INTEGER NOT NULL,
    speaker_key TEXT,
    kind TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    text TEXT NOT NULL,
    about TEXT NOT NULL
);
CREATE INDEX quotes_doc ON quotes(doc_id);

CREATE TABLE dates (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE amounts (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    approximate INTEGER NOT NULL
);
CREATE TABLE events (
    doc_id TEXT NOT NULL REFERENCES documents(id),
    n INTEGER NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    participants TEXT NOT NULL,
    location TEXT,
    date_value TEXT,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    trigger TEXT
);
CREATE TABLE rejected (
    path TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (path, reason)
);

-- rowid = documents.seq; remove_diacritics 0 keeps й and ё distinct, as in PostgreSQL's 'simple'.
CREATE VIRTUAL TABLE search_index USING fts5(lemmas, forms, tokenize = 'unicode61 remove_diacritics 0');
