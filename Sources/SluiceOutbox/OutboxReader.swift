import Foundation
public import SluiceCore

/// Reads what a run left in the Outbox: the records files under `records/` and the newest
/// deletions file under `deletions/`.
///
/// Order is fixed so that every export of the same Outbox is byte-identical: records files
/// sorted by their path relative to `records/` (byte-wise, so it does not depend on locale),
/// then lines in file order.
public struct OutboxReader: Sendable {
    public let outbox: String

    public init(outbox: String) {
        self.outbox = outbox
    }

    public var recordsDirectory: String { Outbox(outbox).records }
    public var deletionsDirectory: String { Outbox(outbox).deletions }

    /// The records files, relative to `records/`, in export order. Temporary files a run is
    /// still writing (`*.ndjson.tmp-PID`) are not records and are left out.
    public func recordFiles() throws(OutboxError) -> [String] {
        let dir = recordsDirectory
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw OutboxError(.io, "no records folder; run `sluice run` first or pass the right --outbox", path: dir)
        }
        guard let walker = FileManager.default.enumerator(atPath: dir) else {
            throw OutboxError(.io, "cannot list the records folder", path: dir)
        }
        var files: [String] = []
        while let next = walker.nextObject() as? String {
            guard next.hasSuffix(".ndjson") else { continue }
            var isDirectory: ObjCBool = false
            let full = (dir as NSString).appendingPathComponent(next)
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(next)
            }
        }
        return files.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Calls `body` with each non-empty line of every records file, in export order, together with
    /// its location (`file.ndjson:LINE`, file relative to `records/`).
    /// Errors from `body` come out unchanged; the reader's own are `OutboxError`s.
    public func forEachLine(_ body: (String, [UInt8]) throws -> Void) throws {
        for file in try recordFiles() {
            try forEachLine(inFile: file) { lineNumber, bytes in try body("\(file):\(lineNumber)", bytes) }
        }
    }

    /// Calls `body` with each non-empty line of one records file (relative to `records/`) and its
    /// line number, counting from 1.
    public func forEachLine(inFile file: String, _ body: (Int, [UInt8]) throws -> Void) throws {
        var reader = try LineReader(path: (recordsDirectory as NSString).appendingPathComponent(file))
        defer { reader.close() }
        var lineNumber = 0
        while let bytes = try reader.next() {
            lineNumber += 1
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            try body(lineNumber, bytes)
        }
    }

    /// Calls `body` with every record in export order, parsed, one at a time so memory stays flat
    /// however large the Outbox. A line that is not a JSON object with a string `id` stops the
    /// export with its location: exporting around it would silently drop a document.
    public func forEachRecord(_ body: (OutboxRecord) throws -> Void) throws {
        for file in try recordFiles() {
            try forEachRecord(inFile: file) { record, _ in try body(record) }
        }
    }

    /// Calls `body` with every record of one records file (relative to `records/`), in line order,
    /// with its line number; bad lines stop the reading as in `forEachRecord(_:)`.
    public func forEachRecord(inFile file: String, _ body: (OutboxRecord, Int) throws -> Void) throws {
        var cursor = try records(inFile: file)
        defer { cursor.close() }
        while let (record, line) = try cursor.next() { try body(record, line) }
    }

    /// The records of one records file (relative to `records/`), one at a time, for readers that
    /// do asynchronous work between records. Close it when done.
    public func records(inFile file: String) throws(OutboxError) -> RecordCursor {
        RecordCursor(
            reader: try LineReader(path: (recordsDirectory as NSString).appendingPathComponent(file)),
            file: file, recordsDirectory: recordsDirectory)
    }

    /// The SHA-256 of one records file's bytes (lower-case hex): what an incremental export
    /// compares to tell a release it has already applied from one that changed.
    public func sha256(ofFile file: String) throws(OutboxError) -> String {
        let path = (recordsDirectory as NSString).appendingPathComponent(file)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw OutboxError(.io, "cannot open records file", path: path)
        }
        defer { try? handle.close() }
        var hash = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(chunk) }
        } catch {
            throw OutboxError(.io, "cannot read records file", path: path, cause: error)
        }
        return SHA256.hexString(hash.finalize())
    }

    /// Every deletions file's run id (its name without `.json`), oldest first.
    public func deletionRuns() throws(OutboxError) -> [String] {
        let dir = deletionsDirectory
        guard FileManager.default.fileExists(atPath: dir) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }
                .map { String($0.dropLast(5)) }
                .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        } catch {
            throw OutboxError(.io, "cannot list the deletions folder", path: dir, cause: error)
        }
    }

    /// One run's deletions file.
    public func deletions(run: String) throws(OutboxError) -> Deletions {
        try deletions(atPath: Outbox(outbox).deletionsFile(run: run))
    }

    private func deletions(atPath path: String) throws(OutboxError) -> Deletions {
        do {
            return try Deletions.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))), path: path)
        } catch let error as OutboxError {
            throw error
        } catch {
            throw OutboxError(.io, "cannot read deletions file", path: path, cause: error)
        }
    }

    /// The last run's deletions: the newest file in `deletions/` (run ids start with a UTC
    /// timestamp, so the greatest file name is the newest). No folder or no file means none.
    public func lastDeletions() throws(OutboxError) -> Deletions {
        let dir = deletionsDirectory
        guard FileManager.default.fileExists(atPath: dir) else { return Deletions(run: nil, deleted: []) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }
        } catch {
            throw OutboxError(.io, "cannot list the deletions folder", path: dir, cause: error)
        }
        guard let newest = names.max(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) else {
            return Deletions(run: nil, deleted: [])
        }
        return try deletions(atPath: (dir as NSString).appendingPathComponent(newest))
    }
}

/// One line of a records file.
public struct OutboxRecord: Sendable {
    public var id: String
    /// `file.ndjson:LINE`, the file relative to `records/`.
    public var location: String
    /// The line exactly as written (no newline), for exports that pass records through unchanged.
    public var line: [UInt8]
    public var value: JSONValue
}

/// Reads one records file a record at a time (see `OutboxReader.records(inFile:)`).
public struct RecordCursor {
    private var reader: LineReader
    private let file: String
    private let recordsDirectory: String
    private var lineNumber = 0

    init(reader: LineReader, file: String, recordsDirectory: String) {
        self.reader = reader
        self.file = file
        self.recordsDirectory = recordsDirectory
    }

    /// The next record and its line number (from 1), nil at the end of the file. A line that is
    /// not a JSON object with a string `id` is an error naming its location.
    public mutating func next() throws(OutboxError) -> (OutboxRecord, Int)? {
        while let bytes = try reader.next() {
            lineNumber += 1
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let location = "\(file):\(lineNumber)"
            let value: JSONValue
            do throws(SluiceError) {
                value = try JSONReader.parse(bytes)
            } catch {
                throw OutboxError(.badRecord, "\(location): \(error.message)", path: recordsDirectory)
            }
            guard case .object = value, let id = value["id"]?.stringValue, !id.isEmpty else {
                throw OutboxError(.badRecord, "\(location): not a record (a JSON object with a string id)", path: recordsDirectory)
            }
            return (OutboxRecord(id: id, location: location, line: bytes, value: value), lineNumber)
        }
        return nil
    }

    /// Closes the file.
    public func close() { reader.close() }
}
