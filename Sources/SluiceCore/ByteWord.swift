/// Eight bytes tested at once: the text scans (JSON escaping, decoding a document's scalars, splitting
/// a report's text into lines) pass over runs of plain ASCII a word at a time with these tests, the
/// usual has-zero-byte tricks. A word holds its bytes first byte lowest, so a mask's lowest flagged
/// byte is the first such byte in the text.
public enum ByteWord {
    /// The eight bytes at `base + offset`, first byte lowest.
    /// Invariant (the caller's): `offset + 8` bytes from `base` are initialized and stay alive for the read.
    @inlinable public static func load(_ base: UnsafePointer<UInt8>, at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// Whether all eight bytes of `word` are ASCII.
    @inlinable public static func isASCII(_ word: UInt64) -> Bool {
        word & 0x8080_8080_8080_8080 == 0
    }

    /// The high bit of each byte of `word` equal to `byte`, exact up to the lowest such byte (a borrow
    /// only carries upward, so bytes above a match may be flagged too).
    @inlinable public static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        let v = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080
    }

    /// The high bit of each byte of `word` below `bound` (at most 0x80), exact up to the lowest such byte.
    @inlinable public static func bytes(below bound: UInt8, in word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101 &* UInt64(bound)) & ~word & 0x8080_8080_8080_8080
    }
}
