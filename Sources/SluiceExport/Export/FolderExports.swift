import SluiceOutbox
import Foundation
import SluiceCore

/// The exports that write a folder of files: ndjson, opensearch and meilisearch.
struct FolderExports {
    let reader: OutboxReader
    let folder: String
    let options: ExportOptions

    /// File names inside the `--out` folder (documented in docs/search.md).
    enum Name {
        static let records = "records.ndjson"
        static let deletions = "deletions.json"
        static let bulk = "bulk.ndjson"
        static let mapping = "mapping.json"
        static let documents = "documents.ndjson"
        static let settings = "settings.json"
    }

    private func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// Streams every record once, skipping repeated ids, writing `lines(record)` to one file;
    /// then hands the live deletions to `finish`.
    private func stream(
        to name: String, format: ExportFormat,
        lines: (OutboxRecord) -> [UInt8],
        finish: (OutputFile, _ run: String?, [Deletions.Entry]) throws(ExportError) -> [String]
    ) throws(ExportError) -> ExportSummary {
        let file = try OutputFile(path: path(name))
        var ids = Set<String>()
        var duplicates = 0
        do {
            let deletions = try mapped { () throws(OutboxError) in try reader.lastDeletions() }
            try mapped {
                try reader.forEachRecord { record in
                    guard ids.insert(record.id).inserted else {
                        duplicates += 1
                        return
                    }
                    try file.write(lines(record))
                }
            }
            let live = deletions.live(excluding: ids)
            let extra = try finish(file, deletions.run, live)
            try file.commit()
            return ExportSummary(
                format: format, output: folder, files: [file.path] + extra, records: ids.count,
                deletions: live.count, deletionsRun: deletions.run, duplicates: duplicates)
        } catch {
            file.discard()
            throw error
        }
    }

    func ndjson() throws(ExportError) -> ExportSummary {
        try stream(to: Name.records, format: .ndjson, lines: { $0.line + [0x0A] }) { _, run, live throws(ExportError) in
            let body = JSONValue.object([
                ("run", .optional(run)),
                ("deleted", .array(live.map { e in
                    .object([("id", .string(e.id)), ("release", .optional(e.release)), ("member", .optional(e.member))])
                })),
            ])
            try OutputFile.write(body.serializedBytes() + [0x0A], to: path(Name.deletions))
            return [path(Name.deletions)]
        }
    }

    func openSearch() throws(ExportError) -> ExportSummary {
        let index = JSONValue.string(options.indexName)
        return try stream(to: Name.bulk, format: .opensearch, lines: { record in
            let action = JSONValue.object([("index", .object([("_index", index), ("_id", .string(record.id))]))])
            let doc = SearchDocument.openSearch(FlatRecord(id: record.id, record: record.value))
            return action.serializedBytes() + [0x0A] + doc.serializedBytes() + [0x0A]
        }) { file, _, live throws(ExportError) in
            // Deletes come after every index action, so an id deleted and re-added in the same export cannot happen
            // (live deletions exclude ids present in the records).
            for entry in live {
                let action = JSONValue.object([("delete", .object([("_index", index), ("_id", .string(entry.id))]))])
                try file.write(action.serializedBytes() + [0x0A])
            }
            try OutputFile.write(Array(ShippedResources.openSearchMapping.utf8), to: path(Name.mapping))
            return [path(Name.mapping)]
        }
    }

    func meilisearch() throws(ExportError) -> ExportSummary {
        try stream(to: Name.documents, format: .meilisearch, lines: { record in
            SearchDocument.meilisearch(FlatRecord(id: record.id, record: record.value)).serializedBytes() + [0x0A]
        }) { _, _, live throws(ExportError) in
            try OutputFile.write(Array(ShippedResources.meilisearchSettings.utf8), to: path(Name.settings))
            let ids = JSONValue.array(live.map { JSONValue.string($0.id) })
            try OutputFile.write(ids.serializedBytes() + [0x0A], to: path(Name.deletions))
            return [path(Name.settings), path(Name.deletions)]
        }
    }
}
