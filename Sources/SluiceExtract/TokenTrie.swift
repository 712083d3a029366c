/// A trie over token keys: finds the longest known name starting at a token in
/// time linear in the name's length, whatever the gazetteer's size.
struct TokenTrie: Sendable {
    private struct Node: Sendable {
        var values: [Int32] = []
    }

    private var nodes = [Node()]
    /// Edges of every node in one table, keyed by (node, token key).
    private var edges = KeyTable<Int32>(capacity: 4096)

    @inline(__always) private static func edge(_ node: Int, _ key: UInt64) -> UInt64 {
        Keys.mix(key &* 0x9E37_79B9_7F4A_7C15, UInt32(truncatingIfNeeded: node)) ^ UInt64(node) << 40
    }

    mutating func insert(_ keys: [UInt64], value: Int) {
        var node = 0
        for key in keys {
            if let next = edges[Self.edge(node, key)] {
                node = Int(next)
            } else {
                nodes.append(Node())
                let next = nodes.count - 1
                edges[Self.edge(node, key)] = Int32(next)
                node = next
            }
        }
        if !nodes[node].values.contains(Int32(value)) { nodes[node].values.append(Int32(value)) }
    }

    /// The longest match starting at token `start`: the index one past its last
    /// token and the entries stored there. Commas, hyphens and slashes between
    /// words are skipped, and so are "the" and "and" inside a name; other punctuation and line breaks end a name.
    /// (Inlined: the agency scan asks it of nearly every token, and most calls end at the first key.)
    @inline(__always) func longestMatch(_ tokens: [Token], from start: Int) -> (end: Int, values: [Int32])? {
        var node = 0
        var i = start
        var best: (Int, [Int32])?
        // Locals, not statics, inside the loop: each static access is a swift_once check.
        let the = Keys.the, and = Keys.and
        while i < tokens.count {
            let t = tokens[i]
            if t.kind == .punct {
                if i > start, Self.isSkippable(t.key) { i += 1; continue }
                break
            }
            if t.kind == .newline { break }
            // "Office of the Inspector General" is "Office of Inspector General", "Alcohol Tobacco Tax & Trade
            // Bureau" is "Alcohol and Tobacco Tax and Trade Bureau": names are keyed without "the" and "and".
            if i > start, t.key == the || t.key == and { i += 1; continue }
            guard let next = edges[Self.edge(node, t.key)] else { break }
            node = Int(next)
            i += 1
            if !nodes[node].values.isEmpty { best = (i, nodes[node].values) }
            // A possessive ends a name: "Commerce's Auditorium".
            if t.possessive { break }
        }
        return best
    }

    /// Punctuation skipped between a name's words: ",", "-", "\u{2013}", "/", "(", ")" (a punctuation key is its
    /// scalar's value). Tested on the values, not through a static set: the trie is asked at nearly every
    /// capitalized token, and reading a static there was a swift_once call every time.
    @inline(__always) private static func isSkippable(_ key: UInt64) -> Bool {
        switch key {
        case 0x2C, 0x2D, 0x2013, 0x2F, 0x28, 0x29: true
        default: false
        }
    }
}
