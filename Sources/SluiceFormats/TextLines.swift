import Foundation
import SluiceCore

/// The document's text as lines with their Unicode-scalar offsets, so that values found in
/// fields can be given mentions in the record's `text`.
///
/// The text is split once, on its UTF-8 bytes; a line's `String` is built only when asked for.
/// Searches on lines and needles that are plain ASCII (nearly all of them) compare bytes;
/// any other line takes the `String` path, so results are those of `String` comparison.
struct TextLines {
    struct Line {
        var text: String
        /// Scalar offset of the line's first character in the whole text.
        var start: Int
    }

    private let bytes: [UInt8]
    /// Byte range of each line in `bytes` (without its "\n").
    private let ranges: [Range<Int>]
    /// Scalar offset of each line's first character.
    private let starts: [Int]
    /// Whether a line is ASCII without "\r", where bytes, scalars and characters coincide.
    private let plain: [Bool]

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var ranges: [Range<Int>] = []
        var starts: [Int] = []
        var plain: [Bool] = []
        var lineStart = 0
        var offset = 0 // scalars before the current line
        var scalars = 0 // scalars in the current line so far
        var isPlain = true
        var k = 0
        let n = bytes.count
        bytes.withUnsafeBufferPointer { buffer in
            while k < n {
                if k + 8 <= n, let base = buffer.baseAddress {
                    // Invariant: k + 8 <= n, so the eight bytes read lie inside `buffer` (the array's
                    // storage, alive and unchanged for this closure).
                    let x = ByteWord.load(base, at: k)
                    // Eight ASCII bytes, none "\n" or "\r": eight scalars of the current line, which stays plain.
                    if ByteWord.isASCII(x), ByteWord.bytes(equalTo: 0x0A, in: x) | ByteWord.bytes(equalTo: 0x0D, in: x) == 0 {
                        scalars += 8
                        k += 8
                        continue
                    }
                }
                let b = buffer[k]
                // A "\n" is a line break unless it follows "\r": "\r\n" is one Character, and the
                // lines are the text split on the Character "\n".
                if b == 0x0A, k == 0 || buffer[k - 1] != 0x0D {
                    ranges.append(lineStart..<k)
                    starts.append(offset)
                    plain.append(isPlain)
                    offset += scalars + 1
                    scalars = 0
                    isPlain = true
                    lineStart = k + 1
                    k += 1
                    continue
                }
                if b & 0xC0 != 0x80 { scalars += 1 }
                if b >= 0x80 || b == 0x0D { isPlain = false }
                k += 1
            }
        }
        ranges.append(lineStart..<n)
        starts.append(offset)
        plain.append(isPlain)
        self.bytes = bytes
        self.ranges = ranges
        self.starts = starts
        self.plain = plain
    }

    /// The number of lines.
    var count: Int { ranges.count }

    /// Line `index`, its text built from the bytes.
    subscript(index: Int) -> Line {
        Line(text: text(index), start: starts[index])
    }

    private func text(_ index: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[ranges[index]]), as: UTF8.self) }
    }

    /// The index of the first line at or after `from` whose text, trimmed, equals `text`.
    func firstLine(equalTo text: String, from: Int = 0) -> Int? {
        guard !text.isEmpty, from < count else { return nil }
        let needle = Array(text.utf8)
        let needlePlain = needle.allSatisfy { $0 < 0x80 && $0 != 0x0D }
        return bytes.withUnsafeBufferPointer { buffer in
            (from..<count).first { index in
                guard needlePlain, plain[index] else { return self.text(index).trimmingSpaces == text }
                // ASCII: white space is 0x09...0x0D and 0x20, and equal strings have equal bytes.
                var lo = ranges[index].lowerBound
                var hi = ranges[index].upperBound
                while lo < hi, Self.isSpace(buffer[lo]) { lo += 1 }
                while hi > lo, Self.isSpace(buffer[hi - 1]) { hi -= 1 }
                guard hi - lo == needle.count else { return false }
                var k = 0
                while k < needle.count, buffer[lo + k] == needle[k] { k += 1 }
                return k == needle.count
            }
        }
    }

    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// A mention of `needle` in line `index`, or nil when the line does not contain it.
    func mention(of needle: String, inLine index: Int) -> Mention? {
        guard index >= 0, index < count, !needle.isEmpty else { return nil }
        let line = self[index]
        let hay = Array(line.text.unicodeScalars)
        let pin = Array(needle.unicodeScalars)
        guard pin.count <= hay.count else { return nil }
        for start in 0...(hay.count - pin.count) where hay[start] == pin[0] {
            if Array(hay[start..<(start + pin.count)]) == pin {
                return Mention(start: line.start + start, end: line.start + start + pin.count, text: needle)
            }
        }
        return nil
    }

    /// A mention of `needle` in the first line containing it, searching from line `from`.
    func firstMention(of needle: String, from: Int = 0) -> Mention? {
        guard from < count else { return nil }
        let pin = Array(needle.utf8)
        let needlePlain = !pin.isEmpty && pin.allSatisfy { $0 < 0x80 && $0 != 0x0D }
        for index in from..<count {
            if needlePlain, plain[index] {
                // ASCII on both sides: characters are bytes, so containment is a byte search.
                guard contains(pin, inLine: index) else { continue }
            } else if !text(index).contains(needle) {
                continue
            }
            if let hit = mention(of: needle, inLine: index) { return hit }
        }
        return nil
    }

    private func contains(_ pin: [UInt8], inLine index: Int) -> Bool {
        let range = ranges[index]
        guard pin.count <= range.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            let first = pin[0]
            var start = range.lowerBound
            let last = range.upperBound - pin.count
            while start <= last {
                if buffer[start] == first {
                    var k = 1
                    while k < pin.count, buffer[start + k] == pin[k] { k += 1 }
                    if k == pin.count { return true }
                }
                start += 1
            }
            return false
        }
    }
}

extension String {
    /// Without leading and trailing white space.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
