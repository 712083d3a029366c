/// The line `sluice export --format postgres` prints (and `sluice run` logs) for an export.
public enum PostgresExportReport {
    public static func line(_ s: PostgresExportSummary) -> String {
        if s.changedNothing {
            return "\(s.database): up to date (\(s.releasesUnchanged) release(s) unchanged, \(s.recordsTotal) record(s))."
        }
        var parts = ["\(s.releasesApplied) release(s) applied"]
        if s.releasesRemoved > 0 { parts.append("\(s.releasesRemoved) removed") }
        parts.append("\(s.releasesUnchanged) unchanged")
        var line = "\(s.database): " + parts.joined(separator: ", ")
        line += "; \(s.recordsWritten) record(s) written, \(s.recordsRemoved) removed"
        if s.recordsMoved > 0 { line += ", \(s.recordsMoved) moved" }
        if s.deletionRuns > 0 { line += "; \(s.deletionRuns) deletions file(s) checked" }
        return line + "; \(s.recordsTotal) record(s) in the database."
    }
}
