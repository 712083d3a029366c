/// Accumulates document text as UTF-8 bytes, with white space collapsed inside
/// lines and one line per block (heading, paragraph, list item, table row).
///
/// Works on bytes straight from libxml2's buffers: no String is made per text
/// node, which keeps the streaming loop close to libxml2's own speed.
struct TextBuilder {
    private(set) var bytes: [UInt8] = []
    /// Unicode scalars written so far (the text's length in characters).
    private(set) var scalarCount = 0
    /// White space seen since the last character: a space is written before the next one.
    private(set) var pendingSpace = false
    private var atLineStart = true
    /// Set once the text would pass `limit`; the caller fails the document.
    private(set) var overflowed = false
    let limit: Int

    init(limit: Int, reserve: Int = 4096) {
        self.limit = limit
        bytes.reserveCapacity(reserve)
    }

    var isEmpty: Bool { bytes.isEmpty }

    /// Empties the builder but keeps its storage, so a reused builder allocates nothing.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        scalarCount = 0
        pendingSpace = false
        atLineStart = true
        overflowed = false
    }

    /// Appends a NUL-terminated UTF-8 string from libxml2.
    ///
    /// Runs of ordinary bytes are found with a read-only scan and copied in one
    /// go; only white space, C0/C1 controls and no-break spaces are handled byte by byte.
    mutating func append(_ p: UnsafePointer<UInt8>) {
        var i = 0
        while true {
            // Scan a run of ordinary bytes (no white space, controls, or 0xC2 lead).
            let start = i
            var scalars = 0
            var b = p[i]
            while b > 0x20 && b != 0x7F && b != 0xC2 {
                if b & 0xC0 != 0x80 { scalars += 1 }
                i += 1
                b = p[i]
            }
            if i > start {
                if pendingSpace {
                    bytes.append(0x20)
                    scalarCount += 1
                    pendingSpace = false
                }
                bytes.append(contentsOf: UnsafeBufferPointer(start: p + start, count: i - start))
                atLineStart = false
                scalarCount += scalars
                if scalarCount > limit { overflowed = true }
            }
            if b == 0 { return }
            i += 1
            if b <= 0x20 || b == 0x7F {
                // White space collapses; other C0 controls never reach the text.
                if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B {
                    if !atLineStart { pendingSpace = true }
                }
                continue
            }
            // b == 0xC2: a no-break space, a C1 control, or an ordinary Latin-1 character.
            let next = p[i]
            if next == 0xA0 {
                i += 1
                if !atLineStart { pendingSpace = true }
            } else if next >= 0x80 && next <= 0x9F {
                // A C1 control (e.g. from `&#150;`) is a Windows-1252 mislabel: map it.
                i += 1
                appendScalar(CP1252.scalar(forHighByte: next))
            } else {
                if pendingSpace {
                    bytes.append(0x20)
                    scalarCount += 1
                    pendingSpace = false
                }
                bytes.append(0xC2)
                atLineStart = false
                scalarCount += 1
                if scalarCount > limit { overflowed = true }
            }
        }
    }

    /// Appends a Swift string (short values: entity text, HTML titles).
    mutating func append(_ s: String) {
        var copy = s
        copy.withUTF8 { buffer in
            var z = [UInt8](buffer)
            z.append(0)
            z.withUnsafeBufferPointer { if let base = $0.baseAddress { append(base) } }
        }
    }

    private mutating func appendScalar(_ scalar: Unicode.Scalar?) {
        guard let scalar else { return }
        if pendingSpace {
            bytes.append(0x20)
            scalarCount += 1
            pendingSpace = false
        }
        bytes.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
        atLineStart = false
        scalarCount += 1
        if scalarCount > limit { overflowed = true }
    }

    /// Ends the current block: what follows starts on a new line.
    mutating func breakLine() {
        pendingSpace = false
        if !atLineStart {
            bytes.append(0x0A)
            scalarCount += 1
            atLineStart = true
        }
    }

    /// A separating space between inline pieces that had none (e.g. adjacent cells).
    mutating func space() {
        if !atLineStart { pendingSpace = true }
    }

    /// The text, without a trailing line break. The bytes are valid UTF-8
    /// (libxml2 only hands out valid UTF-8), so decoding never substitutes.
    func finish() -> String {
        var end = bytes.count
        if end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        return String(decoding: bytes[0..<end], as: UTF8.self)
    }
}

/// Collapses white space in a short value (a title, an attribute, a field's text).
func collapseWhitespace(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    var pending = false
    for scalar in s.unicodeScalars {
        if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{A0}" {
            pending = !out.isEmpty
        } else {
            if pending { out.unicodeScalars.append(" ") }
            pending = false
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}
