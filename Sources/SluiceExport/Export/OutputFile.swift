import Foundation

/// A file written to a temporary name beside its destination and renamed into place when
/// complete, so a reader (or a `curl` started too early) never sees half an export.
final class OutputFile {
    let path: String
    private let tempPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) throws(ExportError) {
        self.path = path
        tempPath = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tempPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: tempPath)
        else {
            throw ExportError(.io, "cannot create file; check the --out folder exists and is writable", path: tempPath)
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ bytes: [UInt8]) throws(ExportError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func write(_ text: String) throws(ExportError) { try write(Array(text.utf8)) }

    private func flush() throws(ExportError) {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw ExportError(.io, "cannot write", path: tempPath, cause: error)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames into place, replacing an earlier export.
    func commit() throws(ExportError) {
        try flush()
        do {
            try handle.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: tempPath, toPath: path)
        } catch {
            throw ExportError(.io, "cannot move the finished file into place", path: path, cause: error)
        }
    }

    /// Removes the temporary file after a failure.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: tempPath)
    }

    /// Writes a whole small file at once.
    static func write(_ bytes: [UInt8], to path: String) throws(ExportError) {
        let file = try OutputFile(path: path)
        do {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// Makes sure `path` is a folder, creating it (and its parents) when missing.
    static func prepareFolder(_ path: String) throws(ExportError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw ExportError(.usage, "this format writes several files, so --out must be a folder, not a file", path: path)
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ExportError(.io, "cannot create the output folder", path: path, cause: error)
        }
    }
}
