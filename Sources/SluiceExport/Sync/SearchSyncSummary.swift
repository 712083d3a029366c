/// What one incremental export applied: to PostgreSQL (`sluice export --format postgres`) or to
/// the embedded SQLite index (`sluice export --format sqlite`). Both count the same things.
public struct SearchSyncSummary: Sendable, Equatable {
    /// Where the records went: the database URL without its password, or the index file.
    public var target: String
    /// True when the target was emptied (or built anew) and every release applied.
    public var fullRebuild = false
    /// Records files applied because they were new or their bytes changed.
    public var releasesApplied = 0
    /// Records files whose SHA-256 the target already had: not read.
    public var releasesUnchanged = 0
    /// Records files the target had that are gone from the Outbox: their records were removed.
    public var releasesRemoved = 0
    /// Records inserted, or updated because their line changed.
    public var recordsWritten = 0
    /// Records whose content was unchanged but that moved within their records file (line number).
    public var recordsMoved = 0
    /// Records removed: gone from a changed records file, or with a removed one.
    public var recordsRemoved = 0
    /// Records read from the records files applied.
    public var recordsRead = 0
    /// Records in the target after the export.
    public var recordsTotal = 0
    /// Deletions files (runs) checked and recorded for the first time.
    public var deletionRuns = 0
    /// Lines skipped because an earlier line of the same file had the same id.
    public var duplicates = 0

    public init(target: String) {
        self.target = target
    }

    /// True when the export changed nothing in the target.
    public var changedNothing: Bool {
        releasesApplied == 0 && releasesRemoved == 0 && deletionRuns == 0 && !fullRebuild
    }
}

/// The line `sluice export --format postgres|sqlite` prints (and `sluice run` logs) for an export.
public enum SearchSyncReport {
    public static func line(_ s: SearchSyncSummary) -> String {
        if s.changedNothing {
            return "\(s.target): up to date (\(s.releasesUnchanged) release(s) unchanged, \(s.recordsTotal) record(s))."
        }
        var parts = ["\(s.releasesApplied) release(s) applied"]
        if s.releasesRemoved > 0 { parts.append("\(s.releasesRemoved) removed") }
        parts.append("\(s.releasesUnchanged) unchanged")
        var line = "\(s.target): " + (s.fullRebuild ? "rebuilt, " : "") + parts.joined(separator: ", ")
        line += "; \(s.recordsWritten) record(s) written, \(s.recordsRemoved) removed"
        if s.recordsMoved > 0 { line += ", \(s.recordsMoved) moved" }
        if s.deletionRuns > 0 { line += "; \(s.deletionRuns) deletions file(s) checked" }
        return line + "; \(s.recordsTotal) record(s) in all."
    }
}
