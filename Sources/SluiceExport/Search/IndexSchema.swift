/// The embedded search index's tables (one SQLite file), shared by the builder and the reader.
///
/// `documents.seq` is the FTS5 rowid, so a match joins back to its document without a lookup
/// by text id; the entity tables hang off `documents.id`. Dates are stored as ISO day spans
/// (`start`/`end`), which compare correctly as text.
enum IndexSchema {
    /// Written to `meta.format`; a reader refuses an index with another value.
    static let format = "sluice.search/1"

    static let create: [String] = [
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)",
        """
        CREATE TABLE documents(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            release TEXT NOT NULL,
            member TEXT NOT NULL,
            part TEXT,
            title TEXT,
            media_type TEXT,
            sha256 TEXT,
            bytes INTEGER,
            first_date TEXT,
            last_date TEXT,
            properties TEXT)
        """,
        "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, tokenize = 'porter unicode61')",
        "CREATE TABLE agencies(doc_id TEXT NOT NULL REFERENCES documents(id), name TEXT NOT NULL, acronym TEXT, parent TEXT)",
        "CREATE TABLE programs(doc_id TEXT NOT NULL REFERENCES documents(id), name TEXT NOT NULL, acronym TEXT)",
        """
        CREATE TABLE dates(doc_id TEXT NOT NULL REFERENCES documents(id), value TEXT NOT NULL, precision TEXT,
            "start" TEXT, "end" TEXT)
        """,
        """
        CREATE TABLE counts(doc_id TEXT NOT NULL REFERENCES documents(id), value REAL NOT NULL, unit TEXT NOT NULL,
            subject TEXT, qualifier TEXT, agency TEXT, component TEXT, fiscal_year TEXT)
        """,
        "CREATE TABLE deletions(id TEXT PRIMARY KEY, release TEXT, member TEXT, run TEXT)",
    ]

    /// Created after the bulk insert, which is faster than maintaining them row by row.
    static let indexes: [String] = [
        "CREATE INDEX agencies_doc ON agencies(doc_id)",
        "CREATE INDEX agencies_name ON agencies(name COLLATE NOCASE)",
        "CREATE INDEX agencies_acronym ON agencies(acronym COLLATE NOCASE)",
        "CREATE INDEX programs_doc ON programs(doc_id)",
        "CREATE INDEX programs_name ON programs(name COLLATE NOCASE)",
        "CREATE INDEX dates_doc ON dates(doc_id)",
        "CREATE INDEX dates_span ON dates(\"start\", \"end\")",
        "CREATE INDEX counts_doc ON counts(doc_id)",
    ]
}
