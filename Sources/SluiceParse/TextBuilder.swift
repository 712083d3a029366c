#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CSluiceLibXML2

/// Owns a TextBuilder's storage, so the builder itself can be a struct (no
/// dynamic exclusivity checks on its hot fields) and still free its memory.
final class TextStorage {
    var pointer: UnsafeMutablePointer<UInt8>
    init(capacity: Int) { pointer = .allocate(capacity: capacity) }
    deinit { pointer.deallocate() }
}

/// Accumulates document text as UTF-8 bytes, with white space collapsed inside
/// lines and one line per block (heading, paragraph, list item, table row).
///
/// Works on bytes straight from libxml2's buffers into storage it owns: no
/// String and no Array bookkeeping per text node, which keeps the streaming
/// loop close to libxml2's own speed. Copies share storage until one of them
/// changes: every mutation first makes the storage unique (copy on write), so a
/// copy that grows or resets never frees or overwrites bytes another still reads.
struct TextBuilder {
    private var owner: TextStorage
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0
    /// White space seen since the last character: a space is written before the next one.
    private(set) var pendingSpace = false
    private var atLineStart = true
    /// The most characters the text may hold; see `overflowed`.
    let limit: Int

    init(limit: Int, reserve: Int = 4096) {
        self.limit = limit
        capacity = max(reserve, 64)
        owner = TextStorage(capacity: capacity)
        storage = owner.pointer
    }

    var isEmpty: Bool { count == 0 }

    /// Scalars in the first `countedBytes` bytes (counted lazily, see `overflowed`).
    private var countedBytes = 0
    private var countedScalars = 0

    /// Whether the text holds more than `limit` characters. Counting bytes is
    /// enough until the bytes pass the limit (a character is at least one byte);
    /// past that, scalars are counted once per byte, incrementally.
    var overflowed: Bool {
        mutating get {
        guard count > limit else { return false }
        while countedBytes < count {
            if storage[countedBytes] & 0xC0 != 0x80 { countedScalars += 1 }
            countedBytes += 1
        }
        return countedScalars > limit
        }
    }

    /// The byte at `index` (for callers that track ranges of the text).
    subscript(index: Int) -> UInt8 {
        // The storage is raw memory: an index past `count` would read bytes never written.
        precondition(index >= 0 && index < count, "TextBuilder index \(index) outside 0..<\(count)")
        return storage[index]
    }

    /// The bytes in `range` as a String (valid UTF-8 by construction).
    func string(_ range: Range<Int>) -> String {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "TextBuilder range \(range) outside 0..<\(count)")
        return utf8String(UnsafeBufferPointer(start: storage + range.lowerBound, count: range.count))
    }

    /// The bytes in `range` on one line: the text is already collapsed, so only
    /// line breaks become spaces and the ends are trimmed (titles spanning blocks).
    func line(_ range: Range<Int>) -> String {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "TextBuilder range \(range) outside 0..<\(count)")
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, storage[lower] == 0x20 || storage[lower] == 0x0A { lower += 1 }
        while upper > lower, storage[upper - 1] == 0x20 || storage[upper - 1] == 0x0A { upper -= 1 }
        var bytes = [UInt8](UnsafeBufferPointer(start: storage + lower, count: upper - lower))
        var previousSpace = false
        var write = 0
        for index in bytes.indices {
            let byte = bytes[index]
            let isSpace = byte == 0x20 || byte == 0x0A
            if isSpace && previousSpace { continue }
            bytes[write] = isSpace ? 0x20 : byte
            write += 1
            previousSpace = isSpace
        }
        return String(decoding: bytes[0..<write], as: UTF8.self)
    }

    /// Copies the bytes in `range` to the end of `out`.
    func copy(_ range: Range<Int>, to out: inout [UInt8]) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "TextBuilder range \(range) outside 0..<\(count)")
        out.append(contentsOf: UnsafeBufferPointer(start: storage + range.lowerBound, count: range.count))
    }

    /// Gives this builder storage of its own if a copy shares it (one refcount load when unique).
    @inline(__always) private mutating func makeUnique() {
        guard !isKnownUniquelyReferenced(&owner) else { return }
        let fresh = TextStorage(capacity: capacity)
        fresh.pointer.update(from: storage, count: count)
        owner = fresh
        storage = fresh.pointer
    }

    /// Empties the builder but keeps its storage.
    mutating func reset() {
        makeUnique()
        count = 0
        countedBytes = 0
        countedScalars = 0
        pendingSpace = false
        atLineStart = true
    }

    /// Grows the storage; callers have made it unique first, so freeing the old block is safe.
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: storage, count: count)
        storage.deallocate()
        storage = grown
        owner.pointer = grown
        capacity = newCapacity
    }

    private mutating func put(_ byte: UInt8) {
        makeUnique()
        if count == capacity { reserve(1) }
        storage[count] = byte
        count += 1
    }

    /// Appends a NUL-terminated UTF-8 string from libxml2.
    mutating func append(_ p: UnsafePointer<UInt8>) {
        append(p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)))
    }

    /// Appends `n` bytes of UTF-8 from libxml2 (whole characters), collapsing
    /// white space in one C loop (csluice_collapse_append): text nodes are
    /// mostly short, so per-call overhead matters more than per-byte speed.
    mutating func append(_ p: UnsafePointer<UInt8>, count n: Int) {
        guard n > 0 else { return }
        makeUnique()
        reserve(2 * n + 1)
        var pending: Int32 = pendingSpace ? 1 : 0
        var lineStart: Int32 = atLineStart ? 1 : 0
        count += csluice_collapse_append(storage + count, p, n, &pending, &lineStart)
        pendingSpace = pending != 0
        atLineStart = lineStart != 0
    }

    /// Appends a Swift string (short values: entity text, HTML titles).
    mutating func append(_ s: String) {
        var copy = s
        copy.withUTF8 { if let base = $0.baseAddress { append(base, count: $0.count) } }
    }

    /// Ends the current block: what follows starts on a new line.
    mutating func breakLine() {
        pendingSpace = false
        if !atLineStart {
            put(0x0A)
            atLineStart = true
        }
    }

    /// A separating space between inline pieces that had none (e.g. adjacent cells).
    mutating func space() {
        if !atLineStart { pendingSpace = true }
    }

    /// The text, without a trailing line break.
    func finish() -> String {
        var end = count
        if end > 0, storage[end - 1] == 0x0A { end -= 1 }
        return string(0..<end)
    }
}

/// A String of UTF-8 bytes, built in place: a short ASCII one (most element texts and attribute
/// values) is made with no validation pass, which `String(decoding:as:)` runs on every string.
/// Other bytes are validated (and repaired) as `String(decoding:as:)` does.
func utf8String(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: bytes.count) { buffer in
        // Invariant: `buffer` holds bytes.count bytes, all of them initialized here.
        _ = buffer.initialize(from: bytes)
        return bytes.count
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
