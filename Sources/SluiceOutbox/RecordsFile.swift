import Foundation
import SluiceCore

/// One record line of a records file, with the two fields the Outbox's bookkeeping needs.
public struct StoredRecord: Sendable, Equatable {
    public var id: String
    /// `source.member`: the record's member path inside its release.
    public var member: String
    /// The line exactly as written, without its newline.
    public var line: [UInt8]
}

/// Reading a release's records file.
public enum RecordsFile {
    /// Every record of a records file, in file order; none when the file does not exist.
    /// Lines that are not records (never written by Sluice) are left out.
    public static func records(atPath path: String) -> [StoredRecord] {
        guard FileManager.default.fileExists(atPath: path), var reader = try? LineReader(path: path) else { return [] }
        defer { reader.close() }
        var out: [StoredRecord] = []
        while let line = try? reader.next() {
            guard let value = try? JSONReader.parse(line), let id = value["id"]?.stringValue,
                  let member = value["source"]?["member"]?.stringValue else { continue }
            out.append(StoredRecord(id: id, member: member, line: line))
        }
        return out
    }
}

/// Writes one release's records file: lines go to a temporary file beside it in
/// writes of about 1 MiB, and `commit` renames it into place, so a reader never
/// sees half a release and a crash leaves no partial records file.
public final class RecordsFileWriter {
    /// Part of every temporary file's name; `Outbox.removeTemporaryFiles` removes such files.
    static let temporaryMarker = ".tmp-"
    /// Buffered record bytes go out in writes of about this size.
    static let flushBytes = 1 << 20

    /// The records file this writer replaces.
    public let path: String
    private let temporaryPath: String
    private var handle: FileHandle?
    private var buffer: [UInt8] = []

    public init(path: String) {
        self.path = path
        temporaryPath = path + RecordsFileWriter.temporaryMarker + "\(getpid())"
    }

    /// Appends record lines (newlines included); `body` writes into the buffer. On an error the
    /// lines of this call are dropped and the writer stays usable.
    public func append(_ body: (inout [UInt8]) -> Void) throws(OutboxError) {
        let mark = buffer.count
        body(&buffer)
        guard buffer.count >= RecordsFileWriter.flushBytes else { return }
        do {
            try flush()
        } catch {
            buffer.removeSubrange(min(mark, buffer.count)...)
            throw error
        }
    }

    /// Puts the file in place: the lines written, or no file at all when there were none.
    public func commit() throws(OutboxError) {
        try flush()
        let fm = FileManager.default
        do {
            if let handle {
                try handle.synchronize()
                try handle.close()
                self.handle = nil
                guard rename(temporaryPath, path) == 0 else {
                    throw OutboxError(.io, "cannot move the records file into place", path: path)
                }
            } else if fm.fileExists(atPath: path) {
                try fm.removeItem(atPath: path)
            }
        } catch let error as OutboxError {
            throw error
        } catch {
            throw OutboxError(.io, "cannot put the records file in place", path: path, cause: error)
        }
    }

    private func flush() throws(OutboxError) {
        guard !buffer.isEmpty else { return }
        do {
            let handle = try self.handle ?? open()
            try handle.write(contentsOf: buffer)
        } catch let error as OutboxError {
            throw error
        } catch {
            throw OutboxError(.io, "cannot write records", path: temporaryPath, cause: error)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func open() throws(OutboxError) -> FileHandle {
        let folder = (temporaryPath as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw OutboxError(.io, "cannot create the records folder", path: folder, cause: error)
        }
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw OutboxError(.io, "cannot create the records file", path: temporaryPath)
        }
        self.handle = handle
        return handle
    }
}
