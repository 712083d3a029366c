#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// Recognizes bytes that are not text at all (binary files saved as .xml/.html),
/// before any parser sees them.
enum BinaryDetector {
    /// Throws `.binary` for NUL bytes (never legal in XML or HTML text) or a high
    /// share of control characters. UTF-16 input, whose ASCII has NUL halves, is left alone.
    static func check(_ bytes: [UInt8], name: String) throws {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return }
        if bytes.count >= 2, bytes[0] == 0 || bytes[1] == 0, bytes[0] == 0x3C || bytes[1] == 0x3C { return }
        let nul = bytes.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress, let hit = memchr(base, 0, raw.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
        if let nul {
            throw SluiceError(
                .binary, "not text: a NUL byte at offset \(nul) (binary or corrupt data, not an XML/HTML document)",
                item: name)
        }
        let sample = bytes.prefix(8192)
        var controls = 0
        for byte in sample where byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C {
            controls += 1
        }
        if controls * 100 > sample.count {
            throw SluiceError(
                .binary, "not text: \(controls) control bytes in the first \(sample.count) (binary or corrupt data)",
                item: name)
        }
    }
}
