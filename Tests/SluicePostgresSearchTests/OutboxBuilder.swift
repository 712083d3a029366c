import Foundation
import SluiceCore

/// A small Outbox written by hand: records files of chosen records, and deletions files, so each
/// test knows exactly what the database must hold.
struct OutboxBuilder {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "sluice-pgsearch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/records", withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `records/<release>.ndjson` with these records, one a line.
    func write(release: String, _ records: [JSONValue]) throws {
        let text = records.map { $0.serialized() + "\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(root)/records/\(release).ndjson"))
    }

    func removeRelease(_ release: String) throws {
        try FileManager.default.removeItem(atPath: "\(root)/records/\(release).ndjson")
    }

    /// Writes `deletions/<run>.json` naming these ids.
    func writeDeletions(run: String, release: String, ids: [String]) throws {
        try FileManager.default.createDirectory(atPath: root + "/deletions", withIntermediateDirectories: true)
        let value = JSONValue.object([
            ("run", .string(run)),
            ("deleted", .array(ids.map { .object([("id", .string($0)), ("release", .string(release))]) })),
        ])
        try Data(value.serialized().utf8).write(to: URL(fileURLWithPath: "\(root)/deletions/\(run).json"))
    }

    /// A record in the Outbox's shape.
    static func record(
        _ id: String, release: String, member: String, title: String, text: String,
        agencies: [(String, String?)] = [], programs: [(String, String?)] = [], dates: [(String, String)] = [],
        counts: [(Int, String, String)] = []
    ) -> JSONValue {
        .object([
            ("schema", .string("sluice.record/1")),
            ("id", .string(id)),
            ("source", .object([
                ("release", .string(release)), ("member", .string(member)), ("sha256", .string(String(repeating: "0", count: 64))),
                ("bytes", .int(text.utf8.count)), ("media_type", .string("text/html")), ("encoding", .string("utf-8")),
            ])),
            ("title", .string(title)),
            ("text", .string(text)),
            ("entities", .object([
                ("agencies", .array(agencies.map { .object([("name", .string($0.0)), ("acronym", .optional($0.1))]) })),
                ("dates", .array(dates.map { .object([("value", .string($0.0)), ("precision", .string($0.1))]) })),
                ("programs", .array(programs.map { .object([("name", .string($0.0)), ("acronym", .optional($0.1))]) })),
                ("counts", .array(counts.map {
                    .object([("value", .int($0.0)), ("unit", .string($0.1)), ("subject", .string($0.2))])
                })),
            ])),
        ])
    }
}
