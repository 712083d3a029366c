/// A small, allocation-light JSON serializer. No reflection, no key sorting:
/// objects are written in the order their pairs were built.
public enum JSONWriter {
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): writeInt(i, into: &out)
        case .double(let d): writeDouble(d, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(pair.0, into: &out)
                out.append(UInt8(ascii: ":"))
                write(pair.1, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Integral doubles print without a fraction ("80", not "80.0"); others in
    /// Swift's shortest round-tripping form. Non-finite values become null.
    static func writeDouble(_ d: Double, into out: inout [UInt8]) {
        guard d.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if abs(d) < 1e15, d == Double(Int64(d)) {
            writeInt(Int(d), into: &out) // the same digits as String(Int64(d)), with no String made for each count
        } else {
            out.append(contentsOf: String(d).utf8)
        }
    }

    /// Decimal digits straight into `out` (no String made for each mention offset).
    static func writeInt(_ value: Int, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // room for 24 digits; UInt.max has 20
        let count = withUnsafeMutableBytes(of: &digits) { buffer in
            var n = 0
            while magnitude > 0 {
                buffer[23 - n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            }
            return n
        }
        // Byte by byte: an offset has a handful of digits, and appending a slice of the buffer went through the
        // array's generic sequence copy (~190 Ir a number).
        withUnsafeBytes(of: &digits) { buffer in
            for k in (24 - count)..<24 { out.append(buffer[k]) }
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Copies runs of bytes that need no escaping in one go: record text is
    /// mostly plain, and a per-byte append was a visible share of the write stage.
    /// Escapes, with the short runs between them, are gathered in a small scratch buffer and
    /// appended a few hundred bytes at a time: record text escapes a line break every few bytes
    /// ("0\n17\n"), and an append to `out` for every piece (a uniqueness and capacity check and a
    /// generic copy each) was most of writing it.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var run = 0
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: scratchSize) { scratch in
                // Invariant: `used` stays <= scratch.count: a piece is written only after checking that
                // its plain bytes and the escape (at most six bytes) fit, flushing first when they do not.
                var used = 0
                forEachEscape(utf8) { at, byte in
                    let plain = at - run
                    if used + plain + 6 > scratch.count {
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<used]))
                        used = 0
                    }
                    if plain + 6 > scratch.count {
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<at]))
                    } else {
                        for k in run..<at { scratch[used + k - run] = utf8[k] }
                        used += plain
                    }
                    run = at + 1
                    scratch[used] = 0x5C
                    switch byte {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): scratch[used + 1] = byte
                    case 0x0A: scratch[used + 1] = UInt8(ascii: "n")
                    case 0x0D: scratch[used + 1] = UInt8(ascii: "r")
                    case 0x09: scratch[used + 1] = UInt8(ascii: "t")
                    default:
                        scratch[used + 1] = UInt8(ascii: "u")
                        scratch[used + 2] = 0x30
                        scratch[used + 3] = 0x30
                        scratch[used + 4] = hex[Int(byte >> 4)]
                        scratch[used + 5] = hex[Int(byte & 0xF)]
                        used += 4
                    }
                    used += 2
                }
                if used > 0 { out.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<used])) }
            }
            if run < utf8.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Bytes of escapes and the plain runs between them gathered before one append to the output.
    private static let scratchSize = 512

    /// Calls `body` with the index and value of each byte of `utf8` that JSON escapes (a control
    /// byte, '"', '\\' or DEL), in order; runs of plain bytes are passed over eight at a time.
    @inline(__always) private static func forEachEscape(_ utf8: UnsafeBufferPointer<UInt8>, _ body: (Int, UInt8) -> Void) {
        var i = 0
        let n = utf8.count
        while i < n {
            if i + 8 <= n, let base = utf8.baseAddress {
                // Invariant: i + 8 <= n, so the eight bytes read lie inside `utf8`, which the caller's
                // withUTF8 keeps alive and unchanged.
                let mask = escapeMask(ByteWord.load(base, at: i))
                if mask == 0 {
                    i += 8
                    continue
                }
                // The lowest flagged byte is exact (borrows only carry upward): the first byte to escape.
                i += mask.trailingZeroBitCount >> 3
                body(i, utf8[i])
                i += 1
                continue
            }
            let byte = utf8[i]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F { body(i, byte) }
            i += 1
        }
    }

    /// The high bit of each byte of `x` that is below 0x20, '"', '\\' or 0x7F, exact up to the lowest such byte.
    @inline(__always) private static func escapeMask(_ x: UInt64) -> UInt64 {
        ByteWord.bytes(below: 0x20, in: x) | ByteWord.bytes(equalTo: 0x22, in: x) | ByteWord.bytes(equalTo: 0x5C, in: x)
            | ByteWord.bytes(equalTo: 0x7F, in: x)
    }
}
