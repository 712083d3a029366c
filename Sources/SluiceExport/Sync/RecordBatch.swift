import SluiceCore
import SluiceOutbox

/// Records of one records file on their way to a search target, a few hundred at a time (see
/// `ReleaseReader`), with what an incremental export needs to tell a record it must write from
/// one it can leave alone: the SHA-256 of its line and where it stands in the Outbox.
struct RecordBatch {
    struct Row {
        var id: String
        /// The line number in the records file, from 1: with the file, the export order.
        var line: Int
        var lineSHA256: String
        var flat: FlatRecord
        var record: OutboxRecord
    }

    /// What a target holds for a record before the batch is applied.
    struct Stored: Equatable {
        var lineSHA256: String
        var file: String
        var line: Int
    }

    /// A record whose line is unchanged but which now stands elsewhere in the Outbox.
    struct Move: Equatable {
        var id: String
        var line: Int
    }

    let file: String
    private(set) var rows: [Row] = []
    /// The records' lines, in bytes.
    private(set) var bytes = 0

    init(file: String) {
        self.file = file
    }

    var count: Int { rows.count }
    var ids: [String] { rows.map(\.id) }

    mutating func add(_ record: OutboxRecord, line: Int) {
        bytes += record.line.count
        rows.append(Row(
            id: record.id, line: line, lineSHA256: SHA256.hex(record.line),
            flat: FlatRecord(id: record.id, record: record.value), record: record))
    }

    /// Splits the batch against what the target holds (`stored`, by id): records that are new or
    /// whose line changed must be written with their entities; records with the same line that
    /// moved (another line number, or another records file) only get their new place; the rest
    /// are left alone, since rewriting them would change nothing.
    func changes(against stored: [String: Stored]) -> (changed: Set<String>, moved: [Move]) {
        var changed = Set<String>()
        var moved: [Move] = []
        for row in rows {
            guard let old = stored[row.id], old.lineSHA256 == row.lineSHA256 else {
                changed.insert(row.id)
                continue
            }
            if old.file != file || old.line != row.line { moved.append(Move(id: row.id, line: row.line)) }
        }
        return (changed, moved)
    }
}

/// One records file read for an incremental export, a batch at a time. A line whose id an
/// earlier line of the same file had is skipped and counted: the first one is the record.
/// Close it when done.
struct ReleaseReader {
    let file: String
    private var cursor: RecordCursor
    private var seen = Set<String>()
    /// Every id read so far, in file order, once each.
    private(set) var ids: [String] = []
    /// Lines skipped for a repeated id.
    private(set) var duplicates = 0

    init(reader: OutboxReader, file: String) throws(ExportError) {
        self.file = file
        cursor = try mapped { () throws(OutboxError) in try reader.records(inFile: file) }
    }

    /// The next records, up to `maxRecords` or until their lines pass `maxBytes`; nil at the end
    /// of the file. A bad line is an error naming its place.
    mutating func next(maxRecords: Int, maxBytes: Int) throws(ExportError) -> RecordBatch? {
        var batch = RecordBatch(file: file)
        while batch.count < maxRecords, batch.bytes < maxBytes,
              let (record, line) = try mapped({ () throws(OutboxError) in try cursor.next() }) {
            guard seen.insert(record.id).inserted else {
                duplicates += 1
                continue
            }
            ids.append(record.id)
            batch.add(record, line: line)
        }
        return batch.count > 0 ? batch : nil
    }

    func close() { cursor.close() }
}
