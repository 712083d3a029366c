/// The ledger's tables, as one list of migrations both backends apply in order: the same
/// tables, columns and keys in SQLite and in PostgreSQL. Each statement is one statement
/// (PostgreSQL's extended protocol takes one at a time); integer columns are BIGINT, which
/// SQLite reads as INTEGER.
enum LedgerSchema {
    struct Migration {
        var name: String
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(name: "v1", statements: [
            """
            CREATE TABLE releases (
                name TEXT PRIMARY KEY,
                key TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                bytes BIGINT NOT NULL,
                status TEXT NOT NULL,
                documents BIGINT NOT NULL DEFAULT 0,
                error TEXT,
                started_at TEXT,
                finished_at TEXT
            )
            """,
            """
            CREATE TABLE items (
                release TEXT NOT NULL,
                member TEXT NOT NULL,
                stage TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                media_type TEXT,
                error_kind TEXT,
                error_message TEXT,
                updated_at TEXT NOT NULL,
                -- position in the release (archive order), -1 for release-level rows
                seq BIGINT NOT NULL DEFAULT -1,
                -- the member's content hash: the key of its cached stage outputs
                sha256 TEXT,
                -- seq is in the key: two entries of one archive may share a name (a link, then a file)
                PRIMARY KEY (release, seq, member, stage)
            )
            """,
            "CREATE INDEX items_status ON items(status, stage)",
        ]),
        // Units of work that workers claim, and the workers themselves (their heartbeats).
        Migration(name: "v2-units", statements: [
            """
            CREATE TABLE units (
                id TEXT PRIMARY KEY,
                release TEXT NOT NULL,
                -- a large zip release is cut into shards of central-directory entries [first_entry, end_entry)
                shard BIGINT NOT NULL DEFAULT 0,
                shards BIGINT NOT NULL DEFAULT 1,
                first_entry BIGINT NOT NULL DEFAULT 0,
                end_entry BIGINT NOT NULL DEFAULT -1,
                -- pending, running, done
                status TEXT NOT NULL,
                worker TEXT,
                -- milliseconds since 1970 on the database's clock
                lease_until BIGINT NOT NULL DEFAULT 0,
                -- times a worker claimed it
                attempts BIGINT NOT NULL DEFAULT 0,
                enqueued_at TEXT NOT NULL,
                finished_at TEXT
            )
            """,
            "CREATE INDEX units_status ON units(status, lease_until)",
            """
            CREATE TABLE workers (
                id TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                pid BIGINT NOT NULL,
                status TEXT NOT NULL,
                units BIGINT NOT NULL DEFAULT 0,
                started_at TEXT NOT NULL,
                -- milliseconds since 1970 on the database's clock
                heartbeat_at BIGINT NOT NULL
            )
            """,
        ]),
    ]

    /// Applies the migrations not yet applied, each in its own transaction, recorded in `ledger_migrations`.
    static func migrate(_ database: any LedgerDatabase) throws {
        for migration in migrations {
            try database.transaction { tx in
                if let lock = database.dialect.migrationLock { _ = try tx.query(lock, []) }
                try tx.execute("CREATE TABLE IF NOT EXISTS ledger_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
                guard try tx.query("SELECT name FROM ledger_migrations WHERE name = ?", [.text(migration.name)]).isEmpty else {
                    return
                }
                // A SQLite ledger made before this list existed was migrated by GRDB's migrator ("v1").
                if migration.name == "v1", database.dialect.name == "sqlite",
                   try !tx.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'releases'", []).isEmpty {
                    try tx.execute("INSERT INTO ledger_migrations (name, applied_at) VALUES (?, ?)",
                                   [.text(migration.name), .text(Ledger.now())])
                    return
                }
                for statement in migration.statements { try tx.execute(statement) }
                try tx.execute("INSERT INTO ledger_migrations (name, applied_at) VALUES (?, ?)",
                               [.text(migration.name), .text(Ledger.now())])
            }
        }
    }
}
