import ArgumentParser
import Foundation
import SluiceExport

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the records for search tools (ndjson, opensearch, meilisearch) or build the local search index (sqlite)."
    )

    @OptionGroup var outbox: OutboxOptions

    @Option(help: ArgumentHelp("ndjson, opensearch, meilisearch or sqlite.", valueName: "format"))
    var format: String

    @Option(help: ArgumentHelp(
        "A folder (ndjson, opensearch, meilisearch) or the database file (sqlite). Default OUTBOX/exports/FORMAT, or OUTBOX/search.sqlite.",
        valueName: "path"))
    var out: String?

    @Option(help: ArgumentHelp("The OpenSearch index the bulk actions address.", valueName: "name"))
    var indexName = "sluice"

    func validate() throws {
        guard ExportFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let format = ExportFormat(rawValue: self.format) ?? .ndjson
        let path = out ?? Exporter.defaultOutput(format: format, outbox: outbox.outbox)
        do {
            let summary = try Exporter(outbox: outbox.outbox, options: ExportOptions(indexName: indexName))
                .export(format: format, to: path)
            var line = "Exported \(summary.records) record(s)"
            if summary.deletions > 0 { line += " and \(summary.deletions) deletion(s) from run \(summary.deletionsRun ?? "?")" }
            print(line + " to \(summary.output).")
            if summary.duplicates > 0 { printError("sluice: skipped \(summary.duplicates) record(s) whose id was already exported") }
        } catch {
            printError("sluice: \(error)")
            throw ExitCode(error.code == .usage ? 2 : 3)
        }
    }
}
