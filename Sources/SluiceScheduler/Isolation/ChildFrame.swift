import SluiceCore

/// The framing between `sluice run` and its parse children, over the child's stdin and stdout:
/// each frame is a kind byte, a payload length (4 bytes, little-endian) and the payload. Payload
/// fields are fixed-width little-endian integers and length-prefixed byte strings.
///
///     parent -> child   hello  (H): magic, memory limit, CPU limit, pipeline YAML
///                       member (M): the member's bytes, then release, path, sha256, and last
///                                   the bytes' length (see `memberFrame`)
///     child -> parent   ready  (R): magic
///                       records (D): media type, record count, record lines
///                       failure (F): error kind, message, item
///
/// One request, one reply: the parent sends the next member only after the reply.
enum ChildFrame {
    static let hello = UInt8(ascii: "H")
    static let member = UInt8(ascii: "M")
    static let ready = UInt8(ascii: "R")
    static let records = UInt8(ascii: "D")
    static let failure = UInt8(ascii: "F")

    /// Names the protocol and its version; both sides check it.
    static let magic = "sluice-child/2"
    /// A child killed with this exit status ran out of memory (its allocation failed under RLIMIT_AS).
    static var outOfMemoryStatus: Int32 { 86 }
    /// No frame is larger (members are bounded far lower by `unpack.max_member_bytes`).
    static let maxPayload = 1 << 31

    static let headerSize = 5

    /// The first whole frame in `buffer`: its kind and payload range; nil while incomplete.
    /// Throws for a frame over `maxPayload`, which no Sluice process sends.
    static func complete(in buffer: [UInt8]) throws(ChildProtocolError) -> (kind: UInt8, payload: Range<Int>)? {
        guard let header = try header(in: buffer), buffer.count - headerSize >= header.length else { return nil }
        return (header.kind, headerSize..<(headerSize + header.length))
    }

    /// A member request around `dataCount` bytes of member data: the frame is `head`, the data, `tail`.
    /// The data comes first in the payload so that the child's payload becomes the member's data by
    /// dropping the fields after it, and the parent sends the data from the member itself: neither side
    /// copies a member's bytes to frame them.
    static func memberFrame(release: String, path: String, sha256: String, dataCount: Int) -> (head: [UInt8], tail: [UInt8]) {
        var fields = FrameWriter(kind: member)
        fields.string(release)
        fields.string(path)
        fields.string(sha256)
        fields.uint32(UInt32(clamping: dataCount))
        let tail = Array(fields.bytes.dropFirst(headerSize))
        var head = FrameWriter(kind: member)
        return (head.finished(followedBy: dataCount + tail.count), tail)
    }

    /// Reads a member request's fields and leaves `payload` holding only the member's data (in place:
    /// a uniquely held payload is cut, not copied). Throws where the fields do not fit the payload.
    static func takeMember(_ payload: inout [UInt8]) throws(ChildProtocolError) -> (release: String, path: String, sha256: String) {
        let fields = try memberFields(payload)
        payload.removeLast(payload.count - fields.dataCount)
        return (fields.release, fields.path, fields.sha256)
    }

    private static func memberFields(_ payload: [UInt8]) throws(ChildProtocolError)
        -> (release: String, path: String, sha256: String, dataCount: Int) {
        guard payload.count >= 4 else { throw ChildProtocolError("a member frame without its data length") }
        var last = FrameReader(payload, (payload.count - 4)..<payload.count)
        let dataCount = Int(try last.uint32())
        guard dataCount <= payload.count - 4 else { throw ChildProtocolError("a member's data runs past its frame") }
        var reader = FrameReader(payload, dataCount..<(payload.count - 4))
        let release = try reader.string(), path = try reader.string(), sha256 = try reader.string()
        guard reader.isAtEnd else { throw ChildProtocolError("a member frame with bytes after its fields") }
        return (release, path, sha256, dataCount)
    }

    /// The kind and payload length of the frame whose header starts at `offset` in `buffer`; nil until the
    /// header is whole. Throws for a length over `maxPayload`, which no Sluice process sends.
    static func header(in buffer: [UInt8], at offset: Int = 0) throws(ChildProtocolError) -> (kind: UInt8, length: Int)? {
        guard buffer.count - offset >= headerSize else { return nil }
        var length = 0
        for index in 0..<4 { length |= Int(buffer[offset + 1 + index]) << (8 * index) }
        guard length <= maxPayload else { throw ChildProtocolError("a frame of \(length) bytes is over the limit") }
        return (buffer[offset], length)
    }
}

/// A reply or request that does not follow the framing.
struct ChildProtocolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Builds a frame in one buffer: the header first, its length filled in by `finished()`.
struct FrameWriter {
    private(set) var bytes: [UInt8]

    init(kind: UInt8, capacity: Int = 64) {
        bytes = [kind, 0, 0, 0, 0]
        bytes.reserveCapacity(ChildFrame.headerSize + capacity)
    }

    /// The whole frame, its payload length set (in place: the payload is not copied). `followedBy`
    /// counts payload bytes sent after these ones, from a buffer of their own.
    mutating func finished(followedBy extra: Int = 0) -> [UInt8] {
        let length = UInt32(clamping: bytes.count - ChildFrame.headerSize + extra)
        for index in 0..<4 { bytes[1 + index] = UInt8(truncatingIfNeeded: length >> UInt32(8 * index)) }
        return bytes
    }

    static func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func uint32(_ value: UInt32) { FrameWriter.appendUInt32(value, to: &bytes) }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func data(_ value: [UInt8]) {
        uint32(UInt32(clamping: value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ value: String) { data(Array(value.utf8)) }
}

/// Reads a frame's payload; every length is checked against what is left.
struct FrameReader {
    private let bytes: [UInt8]
    private var at: Int
    private let end: Int

    init(_ bytes: [UInt8], _ range: Range<Int>) {
        self.bytes = bytes
        at = range.lowerBound
        end = range.upperBound
    }

    /// Reads a whole payload.
    init(_ payload: [UInt8]) { self.init(payload, payload.indices) }

    /// Whether every byte of the range has been read.
    var isAtEnd: Bool { at == end }

    mutating func uint32() throws(ChildProtocolError) -> UInt32 {
        guard end - at >= 4 else { throw ChildProtocolError("the frame ends inside a number") }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[at + index]) << UInt32(8 * index) }
        at += 4
        return value
    }

    mutating func uint64() throws(ChildProtocolError) -> UInt64 {
        let low = UInt64(try uint32())
        return low | UInt64(try uint32()) << 32
    }

    mutating func data() throws(ChildProtocolError) -> [UInt8] {
        let count = Int(try uint32())
        guard end - at >= count else { throw ChildProtocolError("the frame ends inside a field of \(count) bytes") }
        defer { at += count }
        return Array(bytes[at..<(at + count)])
    }

    mutating func string() throws(ChildProtocolError) -> String { String(decoding: try data(), as: UTF8.self) }
}
