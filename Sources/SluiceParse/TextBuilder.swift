/// Accumulates document text with whitespace collapsed inside lines and one
/// line per block (heading, paragraph, list item, table row).
struct TextBuilder {
    private(set) var text = ""
    /// Unicode scalars written so far (the text's length in scalars).
    private(set) var scalarCount = 0
    private var pendingSpace = false
    private var atLineStart = true
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        text.reserveCapacity(4096)
    }

    var isFull: Bool { scalarCount >= limit }

    /// Appends text; runs of white space become one space, none at line starts.
    mutating func append(_ s: String) {
        for scalar in s.unicodeScalars {
            if scalarCount >= limit { return }
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{A0}":
                if !atLineStart { pendingSpace = true }
            case "\u{0}"..."\u{08}", "\u{0E}"..."\u{1F}", "\u{7F}":
                continue
            default:
                if pendingSpace {
                    text.unicodeScalars.append(" ")
                    scalarCount += 1
                    pendingSpace = false
                }
                text.unicodeScalars.append(scalar)
                scalarCount += 1
                atLineStart = false
            }
        }
    }

    /// Ends the current block: what follows starts on a new line.
    mutating func breakLine() {
        pendingSpace = false
        if !atLineStart {
            text.unicodeScalars.append("\n")
            scalarCount += 1
            atLineStart = true
        }
    }

    /// A separating space between inline pieces that had none (e.g. adjacent cells).
    mutating func space() {
        if !atLineStart { pendingSpace = true }
    }

    mutating func finish() -> String {
        if text.unicodeScalars.last == "\n" { text.unicodeScalars.removeLast() }
        return text
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
