import ArgumentParser
import Foundation
import Logging
import SluiceExport

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the local index built by `sluice export --format sqlite`, or a PostgreSQL search database (--database)."
    )

    @OptionGroup var outbox: OutboxOptions

    @Argument(help: "Words (all must match) and \"quoted phrases\"; may be empty when a filter is given.")
    var query: String

    @Option(help: "Only documents naming this agency (name or acronym, any case).") var agency: String?
    @Option(help: "Only documents naming this program (name or acronym, any case).") var program: String?
    @Option(help: ArgumentHelp("Only documents with a date on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD, FY2013).", valueName: "date"))
    var from: String?
    @Option(help: ArgumentHelp("Only documents with a date on or before DATE.", valueName: "date")) var to: String?
    @Option(help: "At most this many hits.") var limit = 20
    @Option(help: ArgumentHelp("The index file, if not OUTBOX/search.sqlite.", valueName: "file")) var index: String?
    @Option(help: ArgumentHelp(
        "Search this PostgreSQL database (filled by `sluice export --format postgres`) instead of the index file.",
        valueName: "url"))
    var database: String?
    @Flag(help: "Print a JSON array of hits.") var json = false

    func validate() throws {
        if database != nil, index != nil { throw ValidationError("give --index or --database, not both") }
    }

    func run() throws {
        let path = index ?? Exporter.defaultIndexPath(outbox: outbox.outbox)
        let request = SearchQuery(query, agency: agency, program: program, from: from, to: to, limit: limit)
        do {
            let hits: [SearchHit]
            if let database {
                let target = try PostgresSearchTarget(url: database, logger: warningLogger("sluice.search"))
                hits = try runToCompletion { try await target.search(request) }
            } else {
                hits = try SearchIndex(path: path).search(request)
            }
            print(json ? SearchHit.jsonText(hits) : SearchHit.plainText(hits), terminator: "")
        } catch let error as ExportError {
            printError("sluice: \(error)")
            throw ExitCode(error.code == .badQuery || error.code == .usage ? 2 : 3)
        }
    }
}
