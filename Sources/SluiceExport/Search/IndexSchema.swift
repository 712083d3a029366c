/// The embedded search index's tables (one SQLite file), shared by the builder and the reader.
///
/// `documents.seq` is the FTS5 rowid, so a match joins back to its document without a lookup
/// by text id; the entity tables hang off `documents.id`. Dates are stored as ISO day spans
/// (`start`/`end`), which compare correctly as text. `records_file` and `line` say where the
/// record stands in the Outbox (the export order, which breaks ties in search results) and
/// `line_sha256` what it was, so an update rewrites only records that changed. `releases` holds
/// the SHA-256 of each records file applied, `deletion_runs` the deletions files checked, and
/// `builds` one row per build that changed something, whose `id` the other two name.
enum IndexSchema {
    /// The layout's version, written to `meta.format` as `sluice.search/N`. A reader refuses an
    /// index with another; the builder rebuilds an older one from scratch.
    static let version = 2
    static let formatPrefix = "sluice.search/"
    static var format: String { formatPrefix + String(version) }

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
            properties TEXT,
            records_file TEXT NOT NULL,
            line INTEGER NOT NULL,
            line_sha256 TEXT NOT NULL)
        """,
        "CREATE INDEX documents_order ON documents(records_file, line)",
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
        "CREATE TABLE releases(records_file TEXT PRIMARY KEY, sha256 TEXT NOT NULL, records INTEGER NOT NULL, build INTEGER NOT NULL)",
        "CREATE TABLE deletion_runs(run TEXT PRIMARY KEY, ids INTEGER NOT NULL, live INTEGER NOT NULL, build INTEGER NOT NULL)",
        """
        CREATE TABLE builds(
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            outbox TEXT NOT NULL,
            full_rebuild INTEGER NOT NULL,
            releases_applied INTEGER NOT NULL,
            releases_removed INTEGER NOT NULL,
            records_written INTEGER NOT NULL,
            records_removed INTEGER NOT NULL,
            deletion_runs INTEGER NOT NULL)
        """,
    ]

    /// Created after a new index's first load, which is faster than maintaining them row by row;
    /// an update finds them there (it deletes entity rows by `doc_id`).
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
