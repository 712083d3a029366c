/// An open-addressing hash table keyed by token hashes. The keys are already
/// FNV-1a hashes, so their low bits index the table directly; this avoids
/// `Hasher` (SipHash) on every token, which dominated the extractor's profile.
struct KeyTable<Value: Sendable>: Sendable {
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 8) {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
    }

    init(_ pairs: [(UInt64, Value)]) {
        self.init(capacity: pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// Slot of `key`, or of the empty slot where it would go. Key 0 is stored as 1.
    @inline(__always) private func slot(_ key: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        return i
    }

    subscript(key: UInt64) -> Value? {
        // Inlined: the extractors look up token keys (sets, tries, word tables) several times per token.
        @inline(__always) get {
            let k = key == 0 ? 1 : key
            return values[slot(k)]
        }
        set {
            let k = key == 0 ? 1 : key
            let i = slot(k)
            if keys[i] == 0 {
                guard let newValue else { return }
                keys[i] = k
                values[i] = newValue
                count += 1
                if count * 2 > keys.count { grow() }
            } else if let newValue {
                values[i] = newValue
            }
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Value?](repeating: nil, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for (i, k) in oldKeys.enumerated() where k != 0 { self[k] = oldValues[i] }
    }
}

/// A set of token hashes.
struct KeySet: Sendable {
    private var table: KeyTable<Bool>

    init(_ keys: [UInt64]) {
        table = KeyTable(capacity: keys.count)
        for k in keys { table[k] = true }
    }

    @inline(__always) func contains(_ key: UInt64) -> Bool { table[key] != nil }
}
