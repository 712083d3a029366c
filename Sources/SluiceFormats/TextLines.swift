import Foundation
import SluiceCore

/// The document's text as lines with their Unicode-scalar offsets, so that values found in
/// fields can be given mentions in the record's `text`.
struct TextLines {
    struct Line {
        var text: String
        /// Scalar offset of the line's first character in the whole text.
        var start: Int
    }

    let lines: [Line]

    init(_ text: String) {
        var lines: [Line] = []
        var offset = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let string = String(line)
            lines.append(Line(text: string, start: offset))
            offset += string.unicodeScalars.count + 1
        }
        self.lines = lines
    }

    /// The index of the first line at or after `from` whose text, trimmed, equals `text`.
    func firstLine(equalTo text: String, from: Int = 0) -> Int? {
        guard !text.isEmpty, from < lines.count else { return nil }
        return (from..<lines.count).first { lines[$0].text.trimmingSpaces == text }
    }

    /// A mention of `needle` in line `index`, or nil when the line does not contain it.
    func mention(of needle: String, inLine index: Int) -> Mention? {
        guard index >= 0, index < lines.count, !needle.isEmpty else { return nil }
        let line = lines[index]
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
        guard from < lines.count else { return nil }
        for index in from..<lines.count where lines[index].text.contains(needle) {
            if let hit = mention(of: needle, inLine: index) { return hit }
        }
        return nil
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
