import SluiceCore

/// Thrown when a release-wide budget (total bytes, entries, nested archives)
/// runs out: nothing later in the release could be read, so unpacking stops
/// with one failure instead of one per remaining member.
struct ReleaseAbort: Error {
    var path: String
    var error: SluiceError
}

/// Wraps an error thrown by the caller's `emit`, so that it passes through the
/// readers untouched and leaves `unpack` as it came in.
struct EmitFailure: Error {
    var underlying: any Error
}

/// The state of one `unpack` call: budgets spent so far, member paths already
/// seen, the event sink and a reusable read buffer.
final class UnpackSession {
    let budgets: UnpackBudgets
    let release: String
    /// A shard's central-directory entries of the release zip (`Unpacker.unpack(path:release:entries:emit:)`);
    /// nil for the whole release.
    let entryRange: Range<Int>?
    private let sink: (UnpackEvent) throws -> Void

    private(set) var totalBytes: Int64 = 0
    private var entries = 0
    private var archivesOpened = 0
    /// Every member path given an event, to flag second copies.
    private var seenPaths: Set<String> = []
    /// Paths of link entries: a later member "through" one is refused.
    private var linkPaths: Set<String> = []

    /// The one chunk buffer members are read into before being appended.
    let scratch: UnsafeMutableRawBufferPointer
    static let chunkSize = 256 << 10

    init(budgets: UnpackBudgets, release: String, entryRange: Range<Int>? = nil,
         sink: @escaping (UnpackEvent) throws -> Void) {
        self.budgets = budgets
        self.release = release
        self.entryRange = entryRange
        self.sink = sink
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: UnpackSession.chunkSize, alignment: 16)
    }

    deinit {
        scratch.deallocate()
    }

    // MARK: Events

    func emit(_ event: UnpackEvent) throws {
        do {
            try sink(event)
        } catch {
            throw EmitFailure(underlying: error)
        }
    }

    func fail(_ path: String, _ error: SluiceError) throws {
        var error = error
        error.item = path
        try emit(.failed(path: path, error: error))
    }

    func skip(_ path: String, _ reason: SluiceError) throws {
        var reason = reason
        reason.item = path
        try emit(.skipped(path: path, reason: reason))
    }

    // MARK: Entries

    /// Counts one archive entry against the entry budget.
    func countEntry(path: String) throws {
        entries += 1
        if entries > budgets.maxEntries {
            throw ReleaseAbort(path: path, error: SluiceError(.bomb,
                "the release holds more than \(budgets.maxEntries) entries (nested archives included), the entry budget; "
                    + "this and later entries were not read"))
        }
    }

    /// Name checks every file-like entry passes before its data is touched.
    /// Emits the refusal and returns false when the entry must not be read.
    func admit(path: String, name: String) throws -> Bool {
        if let problem = MemberName.problem(name) {
            try fail(path, problem)
            return false
        }
        if MemberName.isResourceFork(name) {
            try skip(path, SluiceError(.resourceFork, "Mac resource fork or Finder metadata, not a document"))
            return false
        }
        if seenPaths.contains(path) {
            try skip(path, SluiceError(.duplicate, "a member with this path came earlier in the archive; only the first copy is read"))
            return false
        }
        seenPaths.insert(path)
        if let link = MemberName.ancestors(path).first(where: linkPaths.contains) {
            try fail(path, SluiceError(.link, "member lies under '\(link)', which the archive made a link; it is not followed"))
            return false
        }
        return true
    }

    /// An entry of the release zip before a shard's range: counted, and the state `admit` and
    /// `noteLink` keep for it (its path seen, a link noted) taken as a whole-release read takes it,
    /// without reading or reporting it; so a shard judges a second copy of a name, or a member
    /// under a link, as the whole release does. (Entries inside nested archives of earlier
    /// members are not counted: a shard's release-wide budgets start from its own members.)
    func recall(path: String, name: String, isDirectory: Bool, isLink: Bool) {
        entries += 1
        guard !isDirectory, MemberName.problem(name) == nil, !MemberName.isResourceFork(name),
              !seenPaths.contains(path) else { return }
        seenPaths.insert(path)
        if isLink, !MemberName.ancestors(path).contains(where: linkPaths.contains) { linkPaths.insert(path) }
    }

    /// Records a link entry (after `admit`), so members under it are refused.
    func noteLink(path: String) {
        linkPaths.insert(path)
    }

    // MARK: Budgets

    /// Accounts `count` more inflated bytes of a member that has produced
    /// `memberBytes` (before these) from `consumed` stored bytes.
    func account(_ count: Int, memberBytes: Int64, consumed: Int64, path: String) throws {
        let after = memberBytes + Int64(count)
        if after > budgets.maxMemberBytes, consumed >= after {
            // Stored, not compressed: a big member, not a bomb.
            throw SluiceError(.tooLarge,
                "member is over the \(ByteCount.text(budgets.maxMemberBytes)) per-member budget (stored uncompressed); not read further")
        }
        if after > budgets.maxMemberBytes {
            throw SluiceError(.bomb,
                "member inflated past the \(ByteCount.text(budgets.maxMemberBytes)) per-member budget "
                    + "at ratio \(ByteCount.ratio(after, consumed)); stopped there")
        }
        if after > budgets.ratioFloorBytes, Double(after) > budgets.maxRatio * Double(max(consumed, 1)) {
            throw SluiceError(.bomb,
                "member inflated to \(ByteCount.text(after)) from \(ByteCount.text(consumed)) of stored data, "
                    + "ratio \(ByteCount.ratio(after, consumed)) is past the \(Int(budgets.maxRatio)):1 budget; stopped there")
        }
        if totalBytes + Int64(count) > budgets.maxTotalBytes {
            throw ReleaseAbort(path: path, error: SluiceError(.bomb,
                "the release inflated past its \(ByteCount.text(budgets.maxTotalBytes)) total budget (nested archives included) "
                    + "in this member; it and any later members were not read"))
        }
        totalBytes += Int64(count)
    }

    /// Accounts archive metadata (pax records, GNU long names) against the
    /// total budget, so a stream of metadata alone cannot inflate without end.
    func accountMetadata(_ count: Int, path: String) throws {
        if totalBytes + Int64(count) > budgets.maxTotalBytes {
            throw ReleaseAbort(path: path, error: SluiceError(.bomb,
                "the release inflated past its \(ByteCount.text(budgets.maxTotalBytes)) total budget in archive metadata; the rest was not read"))
        }
        totalBytes += Int64(count)
    }

    /// Reads the rest of `stream` after `head` into one array, within budgets.
    func collect(head: [UInt8], stream: any ByteStream, path: String, sizeHint: Int64?) throws -> [UInt8] {
        let hint = Int(min(sizeHint ?? 0, budgets.maxMemberBytes, 8 << 20))
        var ended = false
        var failure: (any Error)?
        // The member's bytes are read straight into its array, up to the size its archive entry gives (a hint
        // only: capped, and a member that runs past it goes on below), not through `scratch` and a copy. Each
        // read is at most one chunk, as below, so budgets are checked as often.
        var data = [UInt8](unsafeUninitializedCapacity: max(hint, head.count) + 1) { buffer, initialized in
            // Invariant: `buffer` holds max(hint, head.count) + 1 bytes; `head` fits, each read is given the part
            // of `buffer` past `initialized` (at most `chunkSize` bytes of it), and `initialized` counts exactly
            // the bytes written and accounted.
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.copyBytes(from: head)
            initialized = head.count
            guard hint > head.count else { return }
            do {
                while initialized < raw.count {
                    let window = UnsafeMutableRawBufferPointer(
                        rebasing: raw[initialized..<min(raw.count, initialized + UnpackSession.chunkSize)])
                    let n = try stream.read(into: window)
                    if n == 0 {
                        ended = true
                        return
                    }
                    try account(n, memberBytes: Int64(initialized), consumed: stream.consumed, path: path)
                    initialized += n
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        while !ended {
            let n = try stream.read(into: scratch)
            if n == 0 { break }
            try account(n, memberBytes: Int64(data.count), consumed: stream.consumed, path: path)
            data.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<n]))
        }
        return data
    }

    /// Reads and drops `count` bytes of a stream that cannot seek, within the
    /// same budgets as if they were kept.
    func discard(_ count: Int64, from stream: any ByteStream, path: String, alreadyRead: Int64) throws {
        if stream.canSkipCheaply {
            _ = try stream.skip(count)
            return
        }
        var left = count
        var produced = alreadyRead
        while left > 0 {
            let want = Int(min(Int64(scratch.count), left))
            let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[..<want]))
            if n == 0 { break }
            try account(n, memberBytes: produced, consumed: stream.consumed, path: path)
            produced += Int64(n)
            left -= Int64(n)
        }
    }

    /// Reserves one nested-archive opening, or says why it may not happen.
    func admitNestedArchive(depth: Int) -> SluiceError? {
        if depth > budgets.maxDepth {
            return SluiceError(.tooDeep,
                "archive nested \(depth) levels deep, past the nesting budget of \(budgets.maxDepth); not opened")
        }
        if archivesOpened >= budgets.maxArchives {
            return SluiceError(.bomb,
                "the release already opened \(budgets.maxArchives) nested archives, the nested-archive budget; not opened")
        }
        archivesOpened += 1
        return nil
    }
}
