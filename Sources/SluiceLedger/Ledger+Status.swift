public import SluiceCore

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
        var counts: [String: [String: Int]] = [:]
        for row in try readRows("SELECT stage, status, COUNT(*) AS n FROM items GROUP BY stage, status") {
            counts[row.string("stage"), default: [:]][row.string("status")] = row.int("n") ?? 0
        }
        let problems = try readRows("""
            SELECT release, member, stage, status, error_kind, error_message FROM items
            WHERE status IN ('failed', 'skipped', 'quarantined') ORDER BY release, member, stage
            """).map {
            LedgerSummary.Problem(release: $0.string("release"), member: $0.string("member"), stage: $0.string("stage"),
                                  status: $0.string("status"), kind: $0.text("error_kind"), message: $0.text("error_message"))
        }
        return LedgerSummary(counts: counts, releases: try releases(), problems: problems)
    }

    /// The item rows of one release (for tests and `status`).
    public func items(release: String) throws -> [(member: String, stage: String, status: String, kind: String?)] {
        try readRows("SELECT member, stage, status, error_kind FROM items WHERE release = ? ORDER BY member, stage", [release])
            .map { (member: $0.string("member"), stage: $0.string("stage"), status: $0.string("status"), kind: $0.text("error_kind")) }
    }

    /// Failed and quarantined items of these releases: a run that processed them exits 1 when there are any.
    public func problemCount(releases names: [String]) throws -> Int {
        let wanted = Set(names)
        // One query for all of them (one round trip on PostgreSQL, not one per release).
        let rows = try readRows("SELECT release, COUNT(*) AS n FROM items WHERE status IN ('failed', 'quarantined') GROUP BY release")
        return rows.reduce(0) { total, row in wanted.contains(row.string("release")) ? total + (row.int("n") ?? 0) : total }
    }

    func readRows(_ sql: String, _ arguments: [String] = []) throws -> [LedgerRow] {
        try read { tx in try tx.query(sql, arguments.map { .text($0) }) }
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
            guard let stage = Stage(rawValue: row.string("stage")), let status = ItemStatus(rawValue: row.string("status")) else {
                return nil
            }
            return ItemRow(release: row.string("release"), member: row.string("member"), stage: stage, status: status,
                           sequence: row.int("seq") ?? -1, sha256: row.text("sha256"), mediaType: row.text("media_type"),
                           attempts: row.int("attempts") ?? 0, updatedAt: row.string("updated_at"),
                           errorKind: row.text("error_kind"))
        }
    }

    /// Marks a release as being worked on again (a partial re-run): if the process
    /// dies, the next `run` sees it unfinished and processes it whole.
    public func reopenRelease(name: String) throws {
        try writeAlone("UPDATE releases SET status = 'running', finished_at = NULL WHERE name = ?", [.text(name)])
    }
}
