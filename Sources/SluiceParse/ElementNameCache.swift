#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CSluiceLibXML2
import Foundation
import SluiceCore

/// Element names this process has read, by their bytes, shared by every document it parses: a
/// release's documents use mostly the same names, and building each name's Strings, name object and
/// facts again in every document was most of reading a name the first time. Threads that parse share
/// it behind a lock (taken only for a name new to a document, not per element). Bounded against
/// hostile input: it takes at most `maxEntries` names of at most `maxNameBytes` bytes each and then
/// stops growing (names past that are built per document, as without the cache).
///
/// The lock is an NSLock (a pthread mutex, which ThreadSanitizer follows), not `Synchronization.Mutex`: under
/// `scripts/sanitize-thread` two parsing threads' accesses to the table inside Mutex's `withLock` were reported
/// as raced, as the scheduler tests' own Mutex was (9e90d70), and a false report would hide a real one.
final class ElementNameCache: @unchecked Sendable {
    // @unchecked: `table` is only read or written while `lock` is held.
    static let shared = ElementNameCache()

    static let maxEntries = 4096
    static let maxNameBytes = 512

    /// A name from a SAX2 event: its namespace URI, local name and prefix as libxml2's C strings, their
    /// lengths in bytes (-1 for an absent part) and a hash of all three.
    struct Probe {
        let parts: (UnsafePointer<UInt8>?, UnsafePointer<UInt8>?, UnsafePointer<UInt8>?)
        let lengths: (Int, Int, Int)
        let hash: UInt64

        /// Invariant (the caller's): each pointer is nil or a NUL-terminated string that stays alive and
        /// unchanged while the probe is used (libxml2's dictionary keeps them for the whole parse).
        init(namespace: UnsafePointer<UInt8>?, local: UnsafePointer<UInt8>?, prefix: UnsafePointer<UInt8>?) {
            parts = (namespace, local, prefix)
            lengths = (Self.length(namespace), Self.length(local), Self.length(prefix))
            var h: UInt64 = 0
            Self.mix(namespace, lengths.0, into: &h)
            Self.mix(local, lengths.1, into: &h)
            Self.mix(prefix, lengths.2, into: &h)
            hash = h
        }

        var byteCount: Int { max(lengths.0, 0) + max(lengths.1, 0) + max(lengths.2, 0) }

        private static func length(_ p: UnsafePointer<UInt8>?) -> Int {
            // Invariant: p is NUL-terminated (see init); UInt8 and CChar have the same size and alignment.
            guard let p else { return -1 }
            return p.withMemoryRebound(to: CChar.self, capacity: 1) { strlen($0) }
        }

        private static func mix(_ p: UnsafePointer<UInt8>?, _ count: Int, into h: inout UInt64) {
            @inline(__always) func step(_ word: UInt64) {
                h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
            }
            step(UInt64(bitPattern: Int64(count)))
            guard let p else { return }
            var i = 0
            // Invariant: i + 8 <= count, the string's length, so the word read lies inside it.
            while i + 8 <= count {
                step(ByteWord.load(p, at: i))
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                tail |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            step(tail)
        }
    }

    private struct Entry {
        let hash: UInt64
        let lengths: (Int, Int, Int)
        /// The namespace's, local name's and prefix's bytes, one after another.
        let bytes: [UInt8]
        let info: ElementInfo

        func matches(_ probe: Probe) -> Bool {
            guard hash == probe.hash, lengths == probe.lengths else { return false }
            return bytes.withUnsafeBufferPointer { stored in
                guard let base = stored.baseAddress else { return probe.byteCount == 0 }
                // Invariant: `bytes` holds the three parts' bytes, so with equal lengths every range
                // compared lies inside both `bytes` and the probe's strings.
                let namespace = max(lengths.0, 0)
                let local = max(lengths.1, 0)
                return same(base, probe.parts.0, namespace)
                    && same(base + namespace, probe.parts.1, local)
                    && same(base + namespace + local, probe.parts.2, max(lengths.2, 0))
            }
        }

        /// Whether `count` bytes at `a` and `b` are equal (`b` nil only when count is 0).
        /// Invariant (the caller's): `count` bytes are readable at both.
        private func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
            guard let b else { return count == 0 }
            return count == 0 || memcmp(a, b, count) == 0
        }
    }

    private struct Table {
        /// Open addressing, -1 for an empty slot, else an index in `entries`; at most half full.
        var slots = [Int](repeating: -1, count: 2 * ElementNameCache.maxEntries)
        var entries: [Entry] = []

        /// The slot holding the probe's name, or the empty slot where it belongs.
        func find(_ probe: Probe) -> Int {
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: probe.hash >> 20) & mask
            while slots[slot] >= 0, !entries[slots[slot]].matches(probe) { slot = (slot + 1) & mask }
            return slot
        }
    }

    private let lock = NSLock()
    private var table = Table()

    /// What was worked out for this name before, or nil.
    func info(_ probe: Probe) -> ElementInfo? {
        lock.withLock {
            let slot = table.find(probe)
            return table.slots[slot] >= 0 ? table.entries[table.slots[slot]].info : nil
        }
    }

    /// Keeps what was worked out for a name, while the cache has room and the name is not too long.
    func insert(_ info: ElementInfo, for probe: Probe) {
        guard probe.byteCount <= Self.maxNameBytes else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(probe.byteCount)
        for (p, n) in [(probe.parts.0, probe.lengths.0), (probe.parts.1, probe.lengths.1), (probe.parts.2, probe.lengths.2)] {
            // Invariant: n is the length of the NUL-terminated string at p (see Probe.init).
            if let p, n > 0 { bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n)) }
        }
        let entry = Entry(hash: probe.hash, lengths: probe.lengths, bytes: bytes, info: info)
        lock.withLock {
            guard table.entries.count < Self.maxEntries else { return }
            let slot = table.find(probe)
            guard table.slots[slot] < 0 else { return } // another thread kept it first
            table.entries.append(entry)
            table.slots[slot] = table.entries.count - 1
        }
    }
}
