import SluiceOutbox
import Foundation
import SluiceCore

/// What `sluice export` can write.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// The records exactly as written, concatenated in export order, plus the last run's deletions.
    case ndjson
    /// An OpenSearch/Elasticsearch `_bulk` body (index actions, then delete actions) and the index mapping.
    case opensearch
    /// Meilisearch documents (NDJSON), index settings and the ids to delete.
    case meilisearch
    /// The embedded search index: one SQLite file that `sluice search` queries, updated with what
    /// changed since its last build (see `Exporter.updateIndex(at:full:)`).
    case sqlite

    /// True when `--out` names a folder (several files), false when it names one file.
    public var writesFolder: Bool { self != .sqlite }
}

/// Settings for an export, with documented defaults.
public struct ExportOptions: Sendable, Equatable {
    /// The OpenSearch index the bulk actions address (`_index`). Default `sluice`.
    public var indexName: String

    public init(indexName: String = "sluice") {
        self.indexName = indexName
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    public var format: ExportFormat
    /// The `--out` path: a folder, or the SQLite file.
    public var output: String
    /// Every file written, in the order written.
    public var files: [String]
    /// Documents exported.
    public var records: Int
    /// Delete actions / deleted ids exported (from the last run's deletions file).
    public var deletions: Int
    /// The run whose deletions were used; nil when the Outbox has none.
    public var deletionsRun: String?
    /// Records skipped because an earlier line already had the same id.
    public var duplicates: Int
}

/// Turns the records in an Outbox into files for search tools, or into the embedded search index.
///
/// Records are read in a fixed order (records files sorted by path, then line order), so the
/// same Outbox always gives byte-identical exports. Memory stays flat: records are streamed.
public struct Exporter: Sendable {
    public let outbox: String
    public let options: ExportOptions

    public init(outbox: String, options: ExportOptions = ExportOptions()) {
        self.outbox = outbox
        self.options = options
    }

    /// Where `sluice export` writes when `--out` is not given: `OUTBOX/exports/<format>/`,
    /// or `OUTBOX/search.sqlite` for the index (also where `sluice search` looks by default).
    public static func defaultOutput(format: ExportFormat, outbox: String) -> String {
        if format == .sqlite { return defaultIndexPath(outbox: outbox) }
        return Outbox(outbox).exportFolder(format: format.rawValue)
    }

    /// The search index `sluice search` opens when `--index` is not given.
    public static func defaultIndexPath(outbox: String) -> String {
        Outbox(outbox).searchIndex
    }

    /// Writes the export. `path` is a folder for ndjson, opensearch and meilisearch (created when
    /// missing; the files in it are replaced), and the database file for sqlite (updated in place
    /// with what changed, as `updateIndex(at:)` does; `records` then counts the whole index).
    @discardableResult
    public func export(format: ExportFormat, to path: String) throws(ExportError) -> ExportSummary {
        let reader = OutboxReader(outbox: outbox)
        if format.writesFolder { try OutputFile.prepareFolder(path) }
        switch format {
        case .ndjson: return try FolderExports(reader: reader, folder: path, options: options).ndjson()
        case .opensearch: return try FolderExports(reader: reader, folder: path, options: options).openSearch()
        case .meilisearch: return try FolderExports(reader: reader, folder: path, options: options).meilisearch()
        case .sqlite:
            let outcome = try SQLiteIndexBuilder(reader: reader).update(at: path, full: false)
            return ExportSummary(
                format: .sqlite, output: path, files: [path], records: outcome.summary.recordsTotal,
                deletions: outcome.deletions, deletionsRun: outcome.deletionsRun, duplicates: outcome.summary.duplicates)
        }
    }

    /// Brings the search index at `path` in step with the Outbox: only the records files new or
    /// changed since its last build are read, each applied in one transaction (records upserted by
    /// id, records the file no longer has deleted), a records file gone from the Outbox takes its
    /// records with it, and each build that changed something is logged in the index's `builds`
    /// table. Updating twice changes nothing. A missing index, one of an older layout, or any
    /// index when `full` is true is built anew and renamed into place.
    public func updateIndex(at path: String, full: Bool = false) throws(ExportError) -> SearchSyncSummary {
        try SQLiteIndexBuilder(reader: OutboxReader(outbox: outbox)).update(at: path, full: full).summary
    }
}
