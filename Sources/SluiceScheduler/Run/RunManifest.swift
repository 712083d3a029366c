import Foundation
import SluiceCore
import SluiceOutbox

/// `Outbox/runs/<run id>.json`: what one run did, for the morning report.
enum RunManifest {
    static func write(_ report: RunReport, options: RunOptions, started: Date) throws -> String {
        let stats = report.stats
        func counts(_ dict: [String: Int]) -> JSONValue {
            .object(dict.keys.sorted().map { ($0, .int(dict[$0] ?? 0)) })
        }
        let seconds = max(report.seconds, 0.000_001)
        let manifest = JSONValue.object([
            ("run", .string(report.runID)),
            ("started_at", .string(Timestamp.format(secondsSince1970: started.timeIntervalSince1970))),
            ("seconds", .double((report.seconds * 1000).rounded() / 1000)),
            ("pipeline", .string(options.config.name)),
            ("pipeline_source", .string(options.config.source.description)),
            ("inbox", .string(options.inbox)),
            ("releases", .object([
                ("seen", .int(report.releasesSeen)), ("processed", .int(report.releasesProcessed)),
                ("unchanged", .int(report.releasesUnchanged)), ("removed", .array(report.releasesRemoved.map { .string($0) })),
            ])),
            ("stages", .object(stats.byStage.keys.sorted { (Stage(rawValue: $0) ?? .write) < (Stage(rawValue: $1) ?? .write) }
                .map { ($0, counts(stats.byStage[$0] ?? [:])) })),
            ("media_types", counts(stats.byMediaType)),
            ("documents", .int(stats.documents)),
            ("records", .int(stats.records)),
            ("failed", .int(stats.failed)),
            ("skipped", .int(stats.skipped)),
            ("bytes", .int(stats.inputBytes)),
            ("documents_per_second", .double((Double(stats.documents) / seconds * 10).rounded() / 10)),
            ("bytes_per_second", .double((Double(stats.inputBytes) / seconds).rounded())),
            ("failures_by_kind", counts(stats.failuresByKind)),
        ])
        let path = options.layout.manifestFile(run: report.runID)
        do {
            try Outbox.writeAtomically(manifest.serializedBytes() + [UInt8(ascii: "\n")], to: path)
        } catch {
            throw RunError("cannot write the run manifest: \(error)")
        }
        return path
    }
}
