import SluiceCore

/// The parent of every field of a flattened document, computed in one pass,
/// so extractors can ask "what contains this element" without rescanning.
struct FieldTree {
    let fields: [XMLField]
    /// `parents[i]` is the index of field i's parent, or -1 for a field at the top.
    let parents: [Int]

    init(_ fields: [XMLField]) {
        self.fields = fields
        let base = fields.first?.depth ?? 0
        // stack[d] = index of the open element at depth d (relative to the shallowest depth seen), for
        // d < height. The stack is cut by lowering `height`, not by removing elements, and slots are reused:
        // removeLast(k) and append each cost an array call per field.
        var stack = [Int](repeating: -1, count: 64)
        var height = 0
        self.parents = [Int](unsafeUninitializedCapacity: fields.count) { parents, initialized in
            // Invariant: i runs over fields.indices, which are 0..<fields.count, the buffer's capacity; each
            // slot is written once, so all fields.count of them are initialized.
            // By index, not `for field in fields`: a bound copy of each field retains its strings and attributes.
            for i in fields.indices {
                let depth = max(0, fields[i].depth - base)
                if height > depth { height = depth }
                parents[i] = depth > 0 && depth - 1 < height ? stack[depth - 1] : -1
                // A malformed jump in depth (never from the parser) is padded so later lookups stay in range.
                while height <= depth {
                    let value = height == depth ? i : height > 0 ? stack[height - 1] : -1
                    if height == stack.count { stack.append(value) } else { stack[height] = value }
                    height += 1
                }
            }
            initialized = fields.count
        }
    }

    /// The local name of field i's parent, or "" at the top.
    func parentName(_ i: Int) -> String {
        let p = parents[i]
        return p >= 0 ? fields[p].name.local : ""
    }

    /// The index of the nearest ancestor of field i with this local name, or nil.
    func ancestor(_ i: Int, named name: String) -> Int? {
        var p = parents[i]
        while p >= 0 {
            if fields[p].name.local == name { return p }
            p = parents[p]
        }
        return nil
    }

    /// The text of field i and all its descendants, in document order, joined by spaces.
    /// Descendants are the fields that follow i with a greater depth.
    func deepText(_ i: Int) -> String {
        var parts: [String] = []
        if !fields[i].text.isEmpty { parts.append(fields[i].text) }
        var j = i + 1
        while j < fields.count, fields[j].depth > fields[i].depth {
            if !fields[j].text.isEmpty { parts.append(fields[j].text) }
            j += 1
        }
        return parts.joined(separator: " ")
    }

    /// The direct children of field i with this local name, in order (scans only i's subtree).
    func children(_ i: Int, named name: String) -> [Int] {
        var out: [Int] = []
        var j = i + 1
        while j < fields.count, fields[j].depth > fields[i].depth {
            if parents[j] == i, fields[j].name.local == name { out.append(j) }
            j += 1
        }
        return out
    }

    /// The own text of the first direct child of field i with this local name, or nil.
    func childText(_ i: Int, _ name: String) -> String? {
        children(i, named: name).first.map { fields[$0].text }
    }
}
