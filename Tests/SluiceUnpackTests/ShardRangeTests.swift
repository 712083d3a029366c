import Foundation
import SluiceCore
import SluiceTestSupport
import SluiceUnpack
import Testing

/// A zip release cut into shards of central-directory entries: the ranges cover every entry once,
/// in order, and reading the shards one after another gives exactly the events (paths, reasons,
/// bytes) of reading the release whole, refusals and nested archives included.
@Suite("Zip releases read in shards of entries")
struct ShardRangeTests {
    /// Real releases and hostile ones whose verdicts depend on other entries: a second copy of a
    /// name, data that overlaps another entry's, traversal, encryption, an unknown method, a zip
    /// inside the zip, a zip of folders only.
    static let releases = [
        "archives/foia-gov/2012-FOIASetFull.zip",
        "archives/foia-gov/FOIA_Annual_Report_v2.2-subset.zip",
        "hostile/releases/dup-names.zip",
        "hostile/releases/mixed-release.zip",
        "hostile/releases/bomb-zip-overlap.zip",
        "hostile/releases/path-zip-traversal.zip",
        "hostile/releases/encrypted-pkware.zip",
        "hostile/releases/unknown-method.zip",
    ]

    @Test(arguments: releases, [1, 2, 7])
    func shardsReadInOrderGiveTheWholeReleasesEvents(_ fixture: String, membersPerShard: Int) throws {
        let path = try Fixtures.path(fixture)
        let listing = try TestZipListing([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let whole = try unpackAll(path)
        let ranges = try Unpacker().shardRanges(path: path, maxMembers: membersPerShard, maxBytes: nil)
        guard listing.entries.count > membersPerShard else {
            #expect(ranges == nil, "a zip that fits in one shard is not cut")
            return
        }
        let cut = try #require(ranges)
        expectCover(cut, entries: listing.entries.count)
        #expect(cut.allSatisfy { $0.count <= membersPerShard })

        var sharded: [Recorded] = []
        for range in cut { sharded += try unpackShard(path, entries: range) }
        #expect(sharded.count == whole.count)
        for (index, (mine, theirs)) in zip(sharded, whole).enumerated() where mine != theirs {
            Issue.record("event \(index): shards give \(mine), the whole release \(theirs)")
            break
        }
    }

    @Test func aByteLimitCutsByStoredBytes() throws {
        let path = try Fixtures.path("archives/foia-gov/2012-FOIASetFull.zip")
        let listing = try TestZipListing([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let ranges = try #require(try Unpacker().shardRanges(path: path, maxMembers: nil, maxBytes: 64 << 10))
        expectCover(ranges, entries: listing.entries.count)
        // 627 KB of stored data in shards of at most 64 KiB each (a larger single entry alone).
        #expect(ranges.count >= 10)
        #expect(try unpackAll(path) == ranges.flatMap { try unpackShard(path, entries: $0) })
    }

    @Test func onlyZipsAreCut() throws {
        for fixture in ["federal-register-xml/documents/04-16753.xml", "hostile/releases/dup-names.tar"] {
            #expect(try Unpacker().shardRanges(path: try Fixtures.path(fixture), maxMembers: 1, maxBytes: 1) == nil)
        }
        #expect(try Unpacker().shardRanges(path: try Fixtures.path("archives/foia-gov/2012-FOIASetFull.zip"),
                                           maxMembers: nil, maxBytes: nil) == nil)
    }

    @Test func aShardOfAReleaseThatIsNoLongerAZipFailsAsAWhole() throws {
        let path = try Fixtures.path("federal-register-xml/documents/04-16753.xml")
        #expect(throws: SluiceError.self) { _ = try unpackShard(path, entries: 0..<1) }
    }

    /// Consecutive, non-empty, from the first entry to the last: every entry once, in order.
    private func expectCover(_ ranges: [Range<Int>], entries: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ranges.first?.lowerBound == 0, sourceLocation: sourceLocation)
        #expect(ranges.last?.upperBound == entries, sourceLocation: sourceLocation)
        #expect(ranges.allSatisfy { !$0.isEmpty }, sourceLocation: sourceLocation)
        for (a, b) in zip(ranges, ranges.dropFirst()) {
            #expect(a.upperBound == b.lowerBound, "\(a) then \(b)", sourceLocation: sourceLocation)
        }
    }

    private func unpackShard(_ path: String, entries: Range<Int>) throws -> [Recorded] {
        var events: [Recorded] = []
        try Unpacker().unpack(path: path, release: URL(fileURLWithPath: path).lastPathComponent, entries: entries) {
            events.append(Recorded($0))
        }
        return events
    }
}
