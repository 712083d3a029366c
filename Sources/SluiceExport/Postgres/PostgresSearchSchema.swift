/// The PostgreSQL search target's tables, created and migrated by Sluice.
///
/// `records` holds one row per document: the record as `jsonb`, the columns the search shows and
/// filters on, where the record sits in the Outbox (`records_file`, `line`: the export order, which
/// breaks ties like the SQLite index does) and `tsv`, a generated `tsvector` with the title weighted
/// `A` and the text `B`. The entity tables hang off `records.id` and go with their record
/// (`ON DELETE CASCADE`). `search_releases` says which records file, at which SHA-256, the table
/// holds; `search_exports` and `search_deletion_runs` log what each export applied.
///
/// Migrations only ever append: version N is `migrations[N - 1]`, applied in one transaction that
/// also records it in `search_schema_version`.
enum PostgresSearchSchema {
    /// The schema version this Sluice writes and reads.
    static var version: Int { migrations.count }

    /// Statements of each version, in order.
    static let migrations: [[String]] = [
        [
            // to_tsvector refuses a document whose lexemes pass 1 MB; such a document (a text of
            // more than 900,000 bytes, where it can happen) is indexed on its first 200,000
            // characters rather than failing its whole release. IMMUTABLE, as a generated column needs.
            """
            CREATE FUNCTION sluice_search_vector(title text, body text) RETURNS tsvector
            LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
            BEGIN
                IF octet_length(coalesce(body, '')) < 900000 THEN
                    RETURN setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
                        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'B');
                END IF;
                BEGIN
                    RETURN setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
                        || setweight(to_tsvector('english'::regconfig, body), 'B');
                EXCEPTION WHEN program_limit_exceeded THEN
                    RETURN setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
                        || setweight(to_tsvector('english'::regconfig, left(body, 200000)), 'B');
                END;
            END
            $$
            """,
            """
            CREATE TABLE records(
                id text PRIMARY KEY,
                release text NOT NULL,
                member text NOT NULL,
                part text,
                title text,
                text text,
                media_type text,
                sha256 text,
                bytes bigint,
                first_date text COLLATE "C",
                last_date text COLLATE "C",
                record jsonb NOT NULL,
                records_file text COLLATE "C" NOT NULL,
                line integer NOT NULL,
                line_sha256 text NOT NULL,
                tsv tsvector GENERATED ALWAYS AS (sluice_search_vector(title, text)) STORED)
            """,
            "CREATE INDEX records_tsv ON records USING gin(tsv)",
            "CREATE INDEX records_order ON records(records_file, line)",
            """
            CREATE TABLE agencies(record_id text NOT NULL REFERENCES records(id) ON DELETE CASCADE,
                name text NOT NULL, acronym text, parent text)
            """,
            "CREATE INDEX agencies_record ON agencies(record_id)",
            "CREATE INDEX agencies_name ON agencies(lower(name))",
            "CREATE INDEX agencies_acronym ON agencies(lower(acronym))",
            """
            CREATE TABLE programs(record_id text NOT NULL REFERENCES records(id) ON DELETE CASCADE,
                name text NOT NULL, acronym text)
            """,
            "CREATE INDEX programs_record ON programs(record_id)",
            "CREATE INDEX programs_name ON programs(lower(name))",
            "CREATE INDEX programs_acronym ON programs(lower(acronym))",
            """
            CREATE TABLE dates(record_id text NOT NULL REFERENCES records(id) ON DELETE CASCADE,
                value text NOT NULL, precision text, "start" text COLLATE "C", "end" text COLLATE "C")
            """,
            "CREATE INDEX dates_record ON dates(record_id)",
            "CREATE INDEX dates_span ON dates(\"start\", \"end\")",
            """
            CREATE TABLE counts(record_id text NOT NULL REFERENCES records(id) ON DELETE CASCADE,
                value double precision NOT NULL, unit text NOT NULL, subject text, qualifier text,
                agency text, component text, fiscal_year text)
            """,
            "CREATE INDEX counts_record ON counts(record_id)",
            """
            CREATE TABLE search_exports(
                id bigserial PRIMARY KEY,
                started_at timestamptz NOT NULL,
                finished_at timestamptz NOT NULL DEFAULT now(),
                outbox text NOT NULL,
                full_rebuild boolean NOT NULL,
                releases_applied integer NOT NULL,
                releases_removed integer NOT NULL,
                records_written integer NOT NULL,
                records_removed integer NOT NULL,
                deletion_runs integer NOT NULL)
            """,
            """
            CREATE TABLE search_releases(
                records_file text COLLATE "C" PRIMARY KEY,
                sha256 text NOT NULL,
                records integer NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE search_deletion_runs(
                run text PRIMARY KEY,
                ids integer NOT NULL,
                live integer NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """,
        ],
    ]

    /// The data tables a `--full` export empties (the entity tables go with `records`).
    static let dataTables = ["records", "agencies", "programs", "dates", "counts", "search_releases", "search_deletion_runs"]
}
