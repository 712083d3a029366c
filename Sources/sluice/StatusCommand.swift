import ArgumentParser
import Foundation
import SluiceCore
import SluiceLedger
import SluiceOutbox
import SluiceScheduler

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the ledger knows: per-stage counts, and every failure with its reason."
    )

    @OptionGroup var outbox: OutboxOptions

    /// The pipeline whose `ledger.url` or `ledger.path` says where the ledger is.
    @OptionGroup var pipeline: PipelineOption

    @OptionGroup var ledger: LedgerOption

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        // The pipeline (the file, ./Pipelines/default.yml, or the built-in one) places the ledger.
        let options = RunOptions(inbox: "Inbox", outbox: outbox.outbox, config: try loadPipeline(pipeline.source),
                                 ledger: ledger.location)
        let location = options.ledger
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            printError("sluice: no ledger at \(path); run `sluice run` first")
            throw ExitCode(3)
        }
        let summary: LedgerSummary
        let queue: QueueStatus
        do {
            let ledger = try Ledger(location)
            defer { ledger.close() }
            summary = try ledger.summary()
            queue = QueueStatus(units: try ledger.units(), workers: try ledger.workers(), leaseSeconds: options.config.leaseSeconds)
        } catch {
            printError("sluice: the ledger at \(location) is unavailable: \(error)")
            throw ExitCode(3)
        }
        print(json ? StatusCommand.json(summary, queue).serialized() : StatusCommand.table(summary, queue))
    }

    static let statuses = ItemStatus.allCases.map(\.rawValue)

    static func table(_ s: LedgerSummary, _ queue: QueueStatus) -> String {
        var lines = ["Releases: \(s.releases.count) (" + s.releases.map { "\($0.name): \($0.status), \($0.documents) records" }.joined(separator: "; ") + ")", ""]
        let header = ["stage"] + statuses
        lines.append(header.map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
        for stage in Stage.allCases {
            let row = [stage.rawValue] + statuses.map { "\(s.counts[stage.rawValue]?[$0] ?? 0)" }
            lines.append(row.map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
        }
        if !s.problems.isEmpty {
            lines.append("")
            lines.append("Failed, skipped and quarantined items:")
            for p in s.problems {
                let member = p.member.isEmpty ? "(the release)" : p.member
                lines.append("  \(p.status) [\(p.stage)] \(p.release) :: \(member): \(p.kind ?? "-"): \(p.message ?? "")")
            }
        }
        lines += queue.table
        return lines.joined(separator: "\n")
    }

    static func json(_ s: LedgerSummary, _ queue: QueueStatus) -> JSONValue {
        .object([
            ("releases", .array(s.releases.map {
                .object([("name", .string($0.name)), ("sha256", .string($0.sha256)), ("status", .string($0.status)),
                         ("records", .int($0.documents))])
            })),
            ("stages", .object(Stage.allCases.map { stage in
                (stage.rawValue, .object(statuses.map { ($0, .int(s.counts[stage.rawValue]?[$0] ?? 0)) }))
            })),
            ("problems", .array(s.problems.map {
                .object([("release", .string($0.release)), ("member", .string($0.member)), ("stage", .string($0.stage)),
                         ("status", .string($0.status)), ("kind", .optional($0.kind)), ("message", .optional($0.message))])
            })),
            ("unit_counts", queue.unitCounts),
            ("units", queue.unitsJSON),
            ("workers", queue.workersJSON),
        ])
    }
}
