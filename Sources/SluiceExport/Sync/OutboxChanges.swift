import SluiceOutbox

/// What an incremental export has to do to bring a search target (the PostgreSQL tables, the
/// SQLite index) in step with the Outbox, decided from what the target recorded at its last
/// export: records files new or changed (their SHA-256 differs from the one applied), unchanged,
/// or gone from the Outbox; deletions files not checked yet. Both targets decide with this one
/// comparison, so "changed" means the same to both.
struct OutboxChanges {
    /// A records file (relative to `records/`) and the SHA-256 of its bytes now.
    struct Release: Equatable, Sendable {
        var file: String
        var sha256: String
    }

    /// The Outbox's records files and deletions files, listed before the target is opened, so a
    /// wrong `--outbox` fails fast and plainly.
    struct Listing: Sendable {
        var files: [String]
        var runs: [String]

        init(reader: OutboxReader) throws(ExportError) {
            files = try mapped { () throws(OutboxError) in try reader.recordFiles() }
            runs = try mapped { () throws(OutboxError) in try reader.deletionRuns() }
        }
    }

    /// New or changed records files, in export order: each applied whole, in one transaction.
    private(set) var changed: [Release] = []
    /// Records files the target already has at these bytes: not read.
    private(set) var unchanged: [String] = []
    /// Records files the target has that the Outbox no longer has: their records go.
    private(set) var removed: [String] = []
    /// Deletions files (run ids) the target has not checked yet, oldest first.
    private(set) var newRuns: [String] = []

    /// Compares the Outbox with `applied` (records file to SHA-256, as the target recorded them)
    /// and `checkedRuns` (the deletions files it has checked). Hashes every records file.
    init(reader: OutboxReader, listing: Listing, applied: [String: String], checkedRuns: Set<String>) throws(ExportError) {
        for file in listing.files {
            let sha = try mapped { () throws(OutboxError) in try reader.sha256(ofFile: file) }
            if applied[file] == sha {
                unchanged.append(file)
            } else {
                changed.append(Release(file: file, sha256: sha))
            }
        }
        let present = Set(listing.files)
        removed = applied.keys.filter { !present.contains($0) }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        newRuns = listing.runs.filter { !checkedRuns.contains($0) }
    }
}
