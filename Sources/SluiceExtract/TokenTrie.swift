/// A trie over token keys: finds the longest known name starting at a token in
/// time linear in the name's length, whatever the gazetteer's size.
struct TokenTrie: Sendable {
    private struct Node: Sendable {
        var children: [UInt64: Int32] = [:]
        var values: [Int32] = []
    }

    private var nodes = [Node()]

    mutating func insert(_ keys: [UInt64], value: Int) {
        var node = 0
        for key in keys {
            if let next = nodes[node].children[key] {
                node = Int(next)
            } else {
                nodes.append(Node())
                let next = nodes.count - 1
                nodes[node].children[key] = Int32(next)
                node = next
            }
        }
        if !nodes[node].values.contains(Int32(value)) { nodes[node].values.append(Int32(value)) }
    }

    /// The longest match starting at token `start`: the index one past its last
    /// token and the entries stored there. Commas, hyphens and slashes between
    /// words are skipped; other punctuation and line breaks end a name.
    func longestMatch(_ tokens: [Token], from start: Int) -> (end: Int, values: [Int32])? {
        var node = 0
        var i = start
        var best: (Int, [Int32])?
        while i < tokens.count {
            let t = tokens[i]
            if t.kind == .punct {
                if i > start, TokenTrie.skippable.contains(t.key) { i += 1; continue }
                break
            }
            if t.kind == .newline { break }
            guard let next = nodes[node].children[t.key] else { break }
            node = Int(next)
            i += 1
            if !nodes[node].values.isEmpty { best = (i, nodes[node].values) }
            // A possessive ends a name: "Commerce's Auditorium".
            if t.possessive { break }
        }
        return best
    }

    private static let skippable: Set<UInt64> = [",", "-", "\u{2013}", "/", "(", ")"].map { Keys.punct($0) }.reduce(into: []) { $0.insert($1) }
}
