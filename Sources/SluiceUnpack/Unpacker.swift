public import SluiceCore
public import SluiceMail
internal import CSluiceZlib

/// Limits on what one release may expand to, nested archives included.
///
/// Every figure counts bytes the decompressor actually produced, never the
/// sizes headers declare. A member that trips a per-member limit (bytes,
/// ratio, depth) fails on its own and the release goes on; a release-wide
/// limit (total bytes, entries) stops the rest of the release with one failure.
public struct UnpackBudgets: Sendable, Equatable {
    /// Uncompressed bytes over the whole release, nested archives included
    /// (a nested archive's bytes count, and so do its members').
    public var maxTotalBytes: Int64 = 4 << 30
    /// Uncompressed bytes for any one member. Real documents in the corpus are
    /// at most ~2.5 MB; 64 MiB leaves room and keeps workers' memory bounded.
    public var maxMemberBytes: Int64 = 64 << 20
    /// Uncompressed / compressed, for any one member (real XML: under 40:1).
    public var maxRatio: Double = 200
    /// The ratio is only judged once a member has produced this many bytes, so
    /// small, very repetitive files are not mistaken for bombs.
    public var ratioFloorBytes: Int64 = 1 << 20
    /// Entries over the whole release, nested archives included.
    public var maxEntries: Int = 100_000
    /// Archives inside archives: a member of the release is depth 0, an archive
    /// inside the release is depth 1. A `.tar.gz` is one level, not two.
    public var maxDepth: Int = 4
    /// Nested archives opened over the whole release (42.zip-style fan-out).
    public var maxArchives: Int = 256
    /// Attachments taken out of one e-mail message; the rest fail as `too-large`.
    public var maxAttachments: Int = 500
    /// MIME structure bounds for e-mail (nesting depth, parts, header lines).
    public var mime = MIMELimits()

    public init() {}
}

/// Streams the members of a release.
///
/// The release file is read through a file descriptor (`pread`), never copied
/// or extracted; a nested archive is held in memory (bounded by
/// `maxMemberBytes`) and read from there. Nothing is ever written to disk.
public struct Unpacker: Sendable {
    public var budgets: UnpackBudgets

    public init(budgets: UnpackBudgets = UnpackBudgets()) {
        self.budgets = budgets
    }

    /// The version of the zlib library in use, e.g. `1.2.13` (for `sluice --version`).
    public static var zlibVersion: String { String(cString: CSluiceZlib.zlibVersion()) }

    /// Reads the release file at `path` and reports every entry, in archive
    /// order, through `emit`. `release` is the name records carry. Throws only
    /// when the release as a whole cannot be read (it cannot be opened); errors
    /// `emit` throws are passed on unchanged.
    ///
    /// Paths in events: members are named as stored, nested archives joined by
    /// `!/`; a loose document or a bare gzip's member is the release's own file
    /// name (without `.gz`); an event about an archive as a whole (truncated, no
    /// members, a release-wide budget) carries the archive's own path, which for
    /// the release itself is its file name (the last component of `release`).
    ///
    /// `entries`, for one shard of a zip release (`shardRanges(path:maxMembers:maxBytes:)`): only
    /// those entries of the release's central directory are read and reported, in the events and
    /// order a whole-release read gives them (a nested archive stays with the member it is).
    public func unpack(path: String, release: String, entries: Range<Int>? = nil,
                       emit: (UnpackEvent) throws -> Void) throws {
        let source = try FileSource(path: path)
        let ownName = MemberName.lastComponent(release.isEmpty ? path : release)
        try withoutActuallyEscaping(emit) { sink in
            let session = UnpackSession(budgets: budgets, release: release, entryRange: entries, sink: sink)
            do {
                do {
                    try unpackRelease(source: source, name: ownName, session: session)
                } catch let abort as ReleaseAbort {
                    try session.fail(abort.path, abort.error)
                }
            } catch let failure as EmitFailure {
                throw failure.underlying
            }
        }
    }

    /// The release as a whole, from any source (the fuzz targets hand it bytes held in memory).
    func unpackRelease(source: any RandomAccessSource, name: String, session: UnpackSession) throws {
        if source.size == 0 {
            try session.skip(name, SluiceError(.empty, "the release file is empty (0 bytes)"))
            return
        }
        let head = try source.bytes(at: 0, count: UnpackSession.sniffLength)
        let kind = UnpackSession.kind(name: name, head: head)
        if session.entryRange != nil, kind != .zip {
            throw SluiceError(.corrupt, "the release was cut into shards of zip entries but is no longer a zip; run again to queue it anew",
                              item: name)
        }
        switch kind {
        case .zip, .tar, .gzip:
            try session.openArchive(kind, source: source, archivePath: name, prefix: "", name: name, depth: 0)
        case .xml, .html, .pdf, .email, .other:
            try session.countEntry(path: name)
            _ = try session.processMember(path: name, name: name, stream: WindowStream(source), depth: 0, sizeHint: source.size)
        }
    }
}

extension Unpacker {
    /// Cuts a zip release into shards for workers that share a ledger: consecutive ranges of its
    /// central-directory entries, each of at most `maxMembers` entries and, past its first entry,
    /// at most `maxBytes` of stored (compressed) member data. Nil when the release is not a zip
    /// with a readable central directory, or fits in one shard. The ranges cover every entry
    /// once, in archive order; only the central directory is read.
    public func shardRanges(path: String, maxMembers: Int?, maxBytes: Int64?) throws -> [Range<Int>]? {
        guard maxMembers != nil || maxBytes != nil else { return nil }
        let source = try FileSource(path: path)
        guard source.size > 0 else { return nil }
        let head = try source.bytes(at: 0, count: UnpackSession.sniffLength)
        guard UnpackSession.kind(name: MemberName.lastComponent(path), head: head) == .zip,
              let endOffset = try? ZipDirectory.locateEnd(in: source),
              let directory = try? ZipDirectory.read(from: source, endOffset: endOffset, entryLimit: budgets.maxEntries)
        else { return nil }
        let memberLimit = max(1, maxMembers ?? Int.max)
        let byteLimit = max(1, maxBytes ?? Int64.max)
        var ranges: [Range<Int>] = []
        var start = 0
        var bytes: Int64 = 0
        for (index, entry) in directory.entries.enumerated() {
            // Sizes come from the file: saturate rather than overflow.
            let size = max(0, entry.compressedSize)
            let (sum, overflow) = bytes.addingReportingOverflow(size)
            let grown = overflow ? Int64.max : sum
            if index > start, index - start >= memberLimit || grown > byteLimit {
                ranges.append(start..<index)
                start = index
                bytes = size
            } else {
                bytes = grown
            }
        }
        ranges.append(start..<directory.entries.count)
        return ranges.count > 1 ? ranges : nil
    }
}
