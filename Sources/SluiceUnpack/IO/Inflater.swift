internal import CSluiceZlib
import SluiceCore

/// Owns one zlib `z_stream` for inflating; the C state lives behind a stable
/// pointer so zlib's internal back-pointer stays valid, and `deinit` frees it.
final class Inflater {
    /// What the compressed bytes are wrapped in.
    enum Format {
        /// Raw deflate, as zip stores it.
        case raw
        /// RFC 1952 gzip members (header, deflate, CRC-32 and length trailer).
        case gzip

        var windowBits: Int32 {
            switch self {
            case .raw: return -15
            case .gzip: return 15 + 16
            }
        }
    }

    let stream: UnsafeMutablePointer<z_stream>

    init(format: Format) throws {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = csluice_inflateInit2(stream, format.windowBits)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw SluiceError(.internal, "zlib inflateInit2 failed with status \(status)")
        }
    }

    /// Starts a new stream (the next gzip member) keeping buffers and pending input.
    func reset() {
        inflateReset(stream)
    }

    /// zlib's message for the last error, if it gave one.
    var lastMessage: String? {
        guard let message = stream.pointee.msg else { return nil }
        return String(cString: message)
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
}

/// CRC-32 (the zip and gzip polynomial) through zlib's table-driven code.
enum CRC32 {
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return UInt32(truncatingIfNeeded: crc32(UInt(crc), base.assumingMemoryBound(to: Bytef.self), UInt32(bytes.count)))
    }
}
