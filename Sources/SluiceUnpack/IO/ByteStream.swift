/// Bytes read front to back: a member's stored data, an inflated stream, a tar
/// member inside either. Every stream says how much *stored* (compressed) input
/// it has used, so that budgets can compute a member's compression ratio.
protocol ByteStream: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 only at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Stored bytes taken from the underlying source so far.
    var consumed: Int64 { get }
    /// Whether `skip` can move on without decompressing.
    var canSkipCheaply: Bool { get }
    /// Moves past up to `count` bytes; returns how many were skipped.
    func skip(_ count: Int64) throws -> Int64
}

extension ByteStream {
    /// Reads until `buffer` is full or the stream ends.
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Up to `count` bytes, fewer only at the end of the stream.
    func readBytes(_ count: Int) throws -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        let got = try result.withUnsafeMutableBytes { try readFully(into: $0) }
        if got < count { result.removeSubrange(got...) }
        return result
    }
}

/// A window `[offset, offset + length)` of a random-access source.
final class WindowStream: ByteStream {
    private let source: any RandomAccessSource
    private let start: Int64
    private let end: Int64
    private var position: Int64

    init(_ source: any RandomAccessSource, offset: Int64 = 0, length: Int64? = nil) {
        self.source = source
        let first = max(0, offset)
        // The length may come from the file: saturate rather than overflow (the window ends at the source's end).
        let limit = length.map { first.addingReportingOverflow(max(0, $0)).overflow ? Int64.max : first + max(0, $0) } ?? source.size
        start = first
        end = min(limit, source.size)
        position = first
    }

    var consumed: Int64 { position - start }
    var canSkipCheaply: Bool { true }
    /// Bytes left in the window.
    var remaining: Int64 { max(0, end - position) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = Int(min(Int64(buffer.count), remaining))
        guard wanted > 0 else { return 0 }
        let n = try source.read(at: position, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]))
        position += Int64(n)
        return n
    }

    func skip(_ count: Int64) throws -> Int64 {
        let step = min(max(0, count), remaining)
        position += step
        return step
    }
}

/// The first `limit` bytes of another stream (a tar member's data).
final class LimitedStream: ByteStream {
    private let base: any ByteStream
    private let baseStart: Int64
    private(set) var remaining: Int64

    init(_ base: any ByteStream, limit: Int64) {
        self.base = base
        baseStart = base.consumed
        remaining = max(0, limit)
    }

    var consumed: Int64 { base.consumed - baseStart }
    var canSkipCheaply: Bool { base.canSkipCheaply }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = Int(min(Int64(buffer.count), remaining))
        guard wanted > 0 else { return 0 }
        let n = try base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]))
        remaining -= Int64(n)
        return n
    }

    func skip(_ count: Int64) throws -> Int64 {
        let step = try base.skip(min(max(0, count), remaining))
        remaining -= step
        return step
    }
}

/// Bytes already read (to sniff the content) put back in front of the rest.
final class PrefixedStream: ByteStream {
    private let head: [UInt8]
    private var headOffset = 0
    private let base: any ByteStream

    init(head: [UInt8], base: any ByteStream) {
        self.head = head
        self.base = base
    }

    var consumed: Int64 { base.consumed }
    var canSkipCheaply: Bool { base.canSkipCheaply }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if headOffset < head.count {
            let n = min(buffer.count, head.count - headOffset)
            head.withUnsafeBytes { bytes in
                guard let from = bytes.baseAddress, let to = buffer.baseAddress else { return }
                to.copyMemory(from: from + headOffset, byteCount: n)
            }
            headOffset += n
            return n
        }
        return try base.read(into: buffer)
    }

    func skip(_ count: Int64) throws -> Int64 {
        let fromHead = min(max(0, count), Int64(head.count - headOffset))
        headOffset += Int(fromHead)
        return fromHead + (try base.skip(count - fromHead))
    }
}

/// Default `skip` for streams that must decompress to move on: read and drop.
/// Callers that care about budgets skip through `UnpackSession.discard` instead.
extension ByteStream {
    func skipByReading(_ count: Int64) throws -> Int64 {
        var left = max(0, count)
        var scratch = [UInt8](repeating: 0, count: Int(min(max(0, count), 64 << 10)))
        while left > 0 {
            let want = Int(min(Int64(scratch.count), left))
            let n = try scratch.withUnsafeMutableBytes {
                try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<want]))
            }
            if n == 0 { break }
            left -= Int64(n)
        }
        return count - left
    }
}
