internal import CSluiceZlib
import SluiceCore

/// Inflates a compressed stream chunk by chunk into the caller's buffer, so a
/// member never exists in memory in compressed and inflated form at once and a
/// bomb stops as soon as the reader stops asking.
///
/// In gzip form it follows RFC 1952 multi-member files (`gzip -c a b > c`) and,
/// like gzip(1), ignores bytes after a complete member that are not another
/// gzip header.
final class InflateStream: ByteStream {
    private let input: any ByteStream
    private let format: Inflater.Format
    private let inflater: Inflater
    private let inputBuffer: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var finished = false
    private(set) var consumed: Int64 = 0
    /// Set when bytes that are not a gzip member followed the last member.
    private(set) var ignoredTrailingBytes = false

    static let inputChunk = 64 << 10

    init(input: any ByteStream, format: Inflater.Format) throws {
        self.input = input
        self.format = format
        inflater = try Inflater(format: format)
        inputBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: InflateStream.inputChunk, alignment: 16)
    }

    deinit {
        inputBuffer.deallocate()
    }

    var canSkipCheaply: Bool { false }

    func skip(_ count: Int64) throws -> Int64 {
        try skipByReading(count)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let z = inflater.stream
        z.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_out = UInt32(clamping: buffer.count)
        let capacity = Int(z.pointee.avail_out)
        while true {
            if z.pointee.avail_in == 0, !inputEnded { try refill(keeping: 0) }
            let before = z.pointee.avail_in
            let status = inflate(z, Z_NO_FLUSH)
            consumed += Int64(before - z.pointee.avail_in)
            let produced = capacity - Int(z.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                if format == .gzip, try anotherMemberFollows() {
                    inflater.reset()
                    if produced > 0 { return produced }
                    continue
                }
                finished = true
                return produced
            case Z_OK, Z_BUF_ERROR:
                if z.pointee.avail_out == 0 { return produced }
                if z.pointee.avail_in == 0, inputEnded {
                    throw SluiceError(.corrupt, "compressed data ends before the end of the deflate stream (truncated)")
                }
            default:
                let detail = inflater.lastMessage ?? "zlib status \(status)"
                throw SluiceError(.corrupt, "compressed data is invalid: \(detail)")
            }
        }
    }

    /// Refills the input buffer after the `keeping` unread bytes already there.
    private func refill(keeping: Int) throws {
        let z = inflater.stream
        guard let base = inputBuffer.baseAddress else { return }
        if keeping > 0, let next = z.pointee.next_in {
            base.copyMemory(from: UnsafeRawPointer(next), byteCount: keeping)
        }
        let n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: inputBuffer[keeping...]))
        if n == 0 { inputEnded = true }
        z.pointee.next_in = base.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_in = UInt32(keeping + n)
    }

    /// After a gzip member ends: true when the next bytes start another member.
    private func anotherMemberFollows() throws -> Bool {
        let z = inflater.stream
        while Int(z.pointee.avail_in) < 2, !inputEnded {
            try refill(keeping: Int(z.pointee.avail_in))
        }
        let available = Int(z.pointee.avail_in)
        guard available >= 2, let next = z.pointee.next_in else {
            ignoredTrailingBytes = available > 0
            return false
        }
        if next[0] == 0x1F, next[1] == 0x8B { return true }
        ignoredTrailingBytes = true
        return false
    }
}

/// A zip member's inflated bytes, checked against the CRC-32 and size the
/// central directory gives once the data ends.
final class CheckedStream: ByteStream {
    private let base: any ByteStream
    private let expectedCRC: UInt32
    private let expectedSize: Int64
    private var crc: UInt32 = 0
    private var produced: Int64 = 0

    init(_ base: any ByteStream, crc: UInt32, size: Int64) {
        self.base = base
        expectedCRC = crc
        expectedSize = size
    }

    var consumed: Int64 { base.consumed }
    var canSkipCheaply: Bool { false }

    func skip(_ count: Int64) throws -> Int64 {
        try skipByReading(count)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        if n > 0 {
            crc = CRC32.update(crc, UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            produced += Int64(n)
            return n
        }
        if produced != expectedSize {
            throw SluiceError(.corrupt, "data gives \(produced) bytes but the central directory says \(expectedSize)")
        }
        if crc != expectedCRC {
            throw SluiceError(.corrupt, "CRC-32 mismatch: data gives \(hex(crc)), the central directory says \(hex(expectedCRC))")
        }
        return 0
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
