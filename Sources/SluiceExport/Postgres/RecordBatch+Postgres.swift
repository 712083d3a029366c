import Foundation
import SluiceCore
import SluiceOutbox

/// A batch as PostgreSQL receives it: the records as one JSON parameter that the server unpacks
/// with `jsonb_to_recordset` (each as its columns and its line as `jsonb`), and its entity rows
/// likewise, so a batch is one statement a table whatever its size and every value is bound.
extension RecordBatch {
    /// `[{"m": columns, "r": record}, ...]` for the rows in `only`.
    func recordsJSON(only: Set<String>) -> String {
        var out = "["
        var first = true
        for row in rows where only.contains(row.id) {
            let r = row.flat
            let bytes: JSONValue = if case .int(let b)? = r.source["bytes"] { .int(b) } else { .null }
            let meta = JSONValue.object([
                ("id", .string(r.id)), ("release", .string(r.release)), ("member", .string(r.member)),
                ("part", .optional(r.part)), ("title", .optional(r.title)),
                ("media_type", .optional(r.source["media_type"]?.stringValue)),
                ("sha256", .optional(r.source["sha256"]?.stringValue)), ("bytes", bytes),
                ("first_date", .optional(r.firstDate)), ("last_date", .optional(r.lastDate)),
                ("records_file", .string(file)), ("line", .int(row.line)), ("line_sha256", .string(row.lineSHA256)),
            ])
            if !first { out += "," }
            first = false
            out += "{\"m\":" + RecordBatch.withoutNUL(meta).serialized() + ",\"r\":" + RecordBatch.jsonbText(row.record) + "}"
        }
        return out + "]"
    }

    /// The entity rows of the records in `only`, one JSON array per table; agencies and programs
    /// once per record (name and acronym), as the SQLite index has them.
    func entitiesJSON(only: Set<String>) -> (agencies: String, programs: String, dates: String, counts: String) {
        var agencies: [JSONValue] = []
        var programs: [JSONValue] = []
        var dates: [JSONValue] = []
        var counts: [JSONValue] = []
        for row in rows where only.contains(row.id) {
            let r = row.flat
            let id = JSONValue.string(r.id)
            for a in r.distinctAgencies {
                agencies.append(.object([
                    ("record_id", id), ("name", .string(a.name)), ("acronym", .optional(a.acronym)),
                    ("parent", .optional(a.parent)),
                ]))
            }
            for p in r.distinctPrograms {
                programs.append(.object([("record_id", id), ("name", .string(p.name)), ("acronym", .optional(p.acronym))]))
            }
            for d in r.dates {
                dates.append(.object([
                    ("record_id", id), ("value", .string(d.value)), ("precision", .string(d.precision)),
                    ("start", .optional(d.span?.start)), ("end", .optional(d.span?.end)),
                ]))
            }
            for c in r.counts where c.value.isFinite {
                counts.append(.object([
                    ("record_id", id), ("value", .double(c.value)), ("unit", .string(c.unit)),
                    ("subject", .optional(c.subject)), ("qualifier", .optional(c.qualifier)),
                    ("agency", .optional(c.context?["agency"]?.stringValue)),
                    ("component", .optional(c.context?["component"]?.stringValue)),
                    ("fiscal_year", .optional(c.context?["fiscal_year"]?.stringValue)),
                ]))
            }
        }
        func text(_ values: [JSONValue]) -> String { RecordBatch.withoutNUL(.array(values)).serialized() }
        return (text(agencies), text(programs), text(dates), text(counts))
    }

    /// The record line as `jsonb` input. PostgreSQL's text cannot hold NUL, so `jsonb` refuses
    /// `\u0000`; the rare record with one goes in with a space in its place instead of failing its release.
    static func jsonbText(_ record: OutboxRecord) -> String {
        let escape = Array("\\u0000".utf8)
        let line = record.line
        var hasNUL = false
        if line.count >= escape.count {
            for start in 0...(line.count - escape.count) where line[start] == 0x5C && line[start..<start + escape.count].elementsEqual(escape) {
                hasNUL = true
                break
            }
        }
        guard hasNUL else { return String(decoding: line, as: UTF8.self) }
        return withoutNUL(record.value).serialized()
    }

    /// `value` with every NUL in its strings (keys too) replaced by a space.
    static func withoutNUL(_ value: JSONValue) -> JSONValue {
        func clean(_ s: String) -> String { s.contains("\u{0}") ? s.replacingOccurrences(of: "\u{0}", with: " ") : s }
        switch value {
        case .string(let s): return .string(clean(s))
        case .array(let items): return .array(items.map(withoutNUL))
        case .object(let pairs): return .object(pairs.map { (clean($0.0), withoutNUL($0.1)) })
        default: return value
        }
    }
}
