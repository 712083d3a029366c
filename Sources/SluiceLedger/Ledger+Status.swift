public import SluiceCore
internal import GRDB

/// Counts per stage and status, and the failures with their reasons: what `sluice status` prints.
public struct LedgerSummary: Sendable {
    /// A failed, skipped or quarantined row.
    public struct Problem: Sendable {
        public var release: String
        public var member: String
        public var stage: String
        public var status: String
        public var kind: String?
        public var message: String?
    }

    /// stage -> status -> count.
    public var counts: [String: [String: Int]]
    public var releases: [ReleaseState]
    public var problems: [Problem]
}

extension Ledger {
    /// Per-stage counts and every problem row, in a stable order.
    public func summary() throws -> LedgerSummary {
        let rows = try readRows("SELECT stage, status, COUNT(*) AS n FROM items GROUP BY stage, status")
        var counts: [String: [String: Int]] = [:]
        for row in rows {
            let stage: String = row["stage"]
            let status: String = row["status"]
            counts[stage, default: [:]][status] = row["n"]
        }
        let problems = try readRows("""
            SELECT release, member, stage, status, error_kind, error_message FROM items
            WHERE status IN ('failed', 'skipped', 'quarantined') ORDER BY release, member, stage
            """).map {
            LedgerSummary.Problem(release: $0["release"], member: $0["member"], stage: $0["stage"], status: $0["status"],
                                  kind: $0["error_kind"], message: $0["error_message"])
        }
        return LedgerSummary(counts: counts, releases: try releases(), problems: problems)
    }

    /// The item rows of one release (for tests and `status`).
    public func items(release: String) throws -> [(member: String, stage: String, status: String, kind: String?)] {
        try readRows("SELECT member, stage, status, error_kind FROM items WHERE release = ? ORDER BY member, stage", [release])
            .map { (member: $0["member"], stage: $0["stage"], status: $0["status"], kind: $0["error_kind"]) }
    }

    private func readRows(_ sql: String, _ arguments: [String] = []) throws -> [Row] {
        try readDatabase { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) }
    }
}

/// One (member, stage) row, as re-runs select them.
public struct ItemRow: Sendable {
    public var release: String
    public var member: String
    public var stage: Stage
    public var status: ItemStatus
    public var sequence: Int
    public var sha256: String?
    public var mediaType: String?
    public var attempts: Int
    public var updatedAt: String
    /// The failure or skip reason's kind.
    public var errorKind: String?
}

extension Ledger {
    /// Every item row, or one release's, in archive order.
    public func itemRows(release: String? = nil) throws -> [ItemRow] {
        let sql = """
            SELECT release, member, stage, status, seq, sha256, media_type, attempts, updated_at, error_kind FROM items
            \(release == nil ? "" : "WHERE release = ?") ORDER BY release, seq, member, stage
            """
        return try readRows(sql, release.map { [$0] } ?? []).compactMap { row in
            guard let stage = Stage(rawValue: row["stage"]), let status = ItemStatus(rawValue: row["status"]) else { return nil }
            return ItemRow(release: row["release"], member: row["member"], stage: stage, status: status, sequence: row["seq"],
                           sha256: row["sha256"], mediaType: row["media_type"], attempts: row["attempts"],
                           updatedAt: row["updated_at"], errorKind: row["error_kind"])
        }
    }

    /// Marks a release as being worked on again (a partial re-run): if the process
    /// dies, the next `run` sees it unfinished and processes it whole.
    public func reopenRelease(name: String) throws {
        try writeDatabase { db in
            try db.execute(sql: "UPDATE releases SET status = 'running', finished_at = NULL WHERE name = ?", arguments: [name])
        }
    }
}
