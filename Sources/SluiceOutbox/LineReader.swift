import Foundation

/// Reads a file line by line in 1 MiB chunks, so a records file of any size is read in
/// bounded memory (one line at a time, plus the chunk).
struct LineReader {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where to resume looking for a newline, so a line spanning many chunks is scanned once.
    private var scanned = 0
    private var atEnd = false

    init(path: String) throws(OutboxError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw OutboxError(.io, "cannot open records file", path: path)
        }
        self.handle = handle
        self.path = path
    }

    /// The next line without its `\n` (and without a `\r` before it), or nil at the end of the file.
    mutating func next() throws(OutboxError) -> [UInt8]? {
        while true {
            if let newline = buffer[max(start, scanned)...].firstIndex(of: 0x0A) {
                var line = Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                if line.last == 0x0D { line.removeLast() }
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw OutboxError(.io, "cannot read records file", path: path, cause: error)
            }
            // Drop consumed bytes before appending, so the buffer holds at most one partial line and a chunk.
            buffer.removeFirst(start)
            start = 0
            scanned = buffer.count
            if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { atEnd = true }
        }
    }

    func close() { try? handle.close() }
}
