import ArgumentParser
import Foundation
import Logging
import SluiceExport

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the records for search tools (ndjson, opensearch, meilisearch), build the local search index (sqlite) or bring a PostgreSQL search database up to date (postgres).",
        discussion: """
            --format postgres --database URL and --format sqlite apply what changed in the Outbox since \
            the last export (new and changed releases upserted, removed records deleted), one transaction \
            per release; exporting twice changes nothing. --full rebuilds the tables or the index from \
            every release.
            """
    )

    @OptionGroup var outbox: OutboxOptions

    @Option(help: ArgumentHelp("ndjson, opensearch, meilisearch, sqlite or postgres.", valueName: "format"))
    var format: String

    @Option(help: ArgumentHelp(
        "A folder (ndjson, opensearch, meilisearch) or the database file (sqlite). Default OUTBOX/exports/FORMAT, or OUTBOX/search.sqlite.",
        valueName: "path"))
    var out: String?

    @Option(help: ArgumentHelp(
        "The PostgreSQL database (postgres://user@host:port/db; PG* variables and ~/.pgpass fill in the rest).",
        valueName: "url"))
    var database: String?

    @Flag(help: "postgres, sqlite: rebuild the search tables or the index from every release.")
    var full = false

    @Option(help: ArgumentHelp("The OpenSearch index the bulk actions address.", valueName: "name"))
    var indexName = "sluice"

    func validate() throws {
        if format == "postgres" {
            guard database != nil else { throw ValidationError("--format postgres needs --database postgres://...") }
            guard out == nil else { throw ValidationError("--format postgres writes to --database, not --out") }
            return
        }
        guard ExportFormat(rawValue: format) != nil else {
            let names = ExportFormat.allCases.map(\.rawValue) + ["postgres"]
            throw ValidationError("--format must be one of: \(names.joined(separator: ", "))")
        }
        guard database == nil else { throw ValidationError("--database goes with --format postgres") }
        guard !full || format == ExportFormat.sqlite.rawValue else {
            throw ValidationError("--full goes with --format postgres or sqlite")
        }
    }

    func run() throws {
        if format == "postgres", let database { return try exportToPostgres(database) }
        let format = ExportFormat(rawValue: self.format) ?? .ndjson
        let path = out ?? Exporter.defaultOutput(format: format, outbox: outbox.outbox)
        if format == .sqlite { return try updateIndex(at: path) }
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

    private func updateIndex(at path: String) throws {
        do {
            report(try Exporter(outbox: outbox.outbox).updateIndex(at: path, full: full))
        } catch {
            printError("sluice: \(error)")
            throw ExitCode(error.code == .usage ? 2 : 3)
        }
    }

    private func exportToPostgres(_ url: String) throws {
        let outbox = outbox.outbox
        let full = full
        do {
            let target = try PostgresSearchTarget(url: url, logger: warningLogger("sluice.export"))
            report(try runToCompletion { try await target.export(outbox: outbox, full: full) })
        } catch let error as ExportError {
            printError("sluice: \(error)")
            throw ExitCode(error.code == .usage ? 2 : 3)
        }
    }

    private func report(_ summary: SearchSyncSummary) {
        print(SearchSyncReport.line(summary))
        if summary.duplicates > 0 { printError("sluice: skipped \(summary.duplicates) record(s) whose id was already exported") }
    }
}
