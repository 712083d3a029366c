import SluiceCore

/// Bounds-checked little-endian fields of a header read from input: a short or
/// lying header gives a `.corrupt` error, never a trap.
struct LittleEndianFields {
    let bytes: [UInt8]
    /// What the bytes are, for the error message ("central directory entry").
    let what: String

    func u8(_ at: Int) throws -> UInt8 {
        guard at >= 0, at < bytes.count else { throw short(at, 1) }
        return bytes[at]
    }

    func u16(_ at: Int) throws -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { throw short(at, 2) }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    func u32(_ at: Int) throws -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { throw short(at, 4) }
        var value: UInt32 = 0
        for index in (0..<4).reversed() { value = value << 8 | UInt32(bytes[at + index]) }
        return value
    }

    func u64(_ at: Int) throws -> UInt64 {
        guard at >= 0, at + 8 <= bytes.count else { throw short(at, 8) }
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[at + index]) }
        return value
    }

    func slice(_ at: Int, _ count: Int) throws -> [UInt8] {
        guard at >= 0, count >= 0, at + count <= bytes.count else { throw short(at, count) }
        return Array(bytes[at..<(at + count)])
    }

    private func short(_ at: Int, _ count: Int) -> SluiceError {
        SluiceError(.corrupt, "\(what) is cut short (needs \(count) bytes at offset \(at), has \(bytes.count))")
    }
}
