import Foundation
import SluiceCore
@testable import SluiceUnpack
import SluiceTestSupport
import Testing

/// Budgets count bytes the decompressor produced and stop at the limit.
@Suite("Unpack budgets")
struct BudgetTests {
    private func hostile(_ name: String) throws -> String {
        try Fixtures.path("hostile/releases/\(name)")
    }

    @Test("the 1 GiB zero bomb stops at the per-member byte budget when the ratio check is off")
    func memberBudgetStopsBomb() throws {
        var budgets = UnpackBudgets()
        budgets.maxRatio = 1e12
        budgets.maxMemberBytes = 8 << 20
        let events = try unpackAll(try hostile("bomb-zip-single.zip"), budgets: budgets)
        let bomb = try #require(events.first { $0.path == "bomb/zeros.xml" })
        #expect(bomb.kind == .failed && bomb.code == "bomb")
        #expect(bomb.message?.contains("8 MiB per-member budget") == true, "\(bomb)")
        #expect(events.contains { $0.path == "control.xml" && $0.kind == .document })
    }

    @Test("the ratio budget names the ratio it saw")
    func ratioBudget() throws {
        let events = try unpackAll(try hostile("bomb-gzip.xml.gz"))
        #expect(events.count == 1)
        #expect(events.first?.code == "bomb")
        #expect(events.first?.message?.contains("200:1 budget") == true, "\(events)")
    }

    @Test("nesting deeper than maxDepth fails the nested archives with too-deep")
    func depthBudget() throws {
        var budgets = UnpackBudgets()
        budgets.maxDepth = 0
        let events = try unpackAll(try Paths.fixture("nested.tgz"), budgets: budgets)
        #expect(events.map(\.path) == ["bundle/inner.zip", "bundle/hres240-109.xml.gz", "top.xml"])
        #expect(events.map(\.code) == ["too-deep", "too-deep", nil])
    }

    @Test("the total budget stops the rest of the release with one failure")
    func totalBudget() throws {
        var budgets = UnpackBudgets()
        budgets.maxTotalBytes = 6000
        let events = try unpackAll(try Paths.fixture("foia-mix.tar.gz"), budgets: budgets)
        #expect(events.map(\.path) == ["reports/hres9-112.xml", "reports/sample_hearing.xml"])
        #expect(events.map(\.kind) == [.document, .failed])
        #expect(events.last?.code == "bomb" && events.last?.message?.contains("total budget") == true)
    }

    @Test("the entry budget stops the rest of the release with one failure")
    func entryBudget() throws {
        var budgets = UnpackBudgets()
        budgets.maxEntries = 2
        let events = try unpackAll(try Paths.fixture("foia-mix.tar.gz"), budgets: budgets)
        #expect(events.map(\.kind) == [.document, .document, .failed])
        #expect(events.last?.code == "bomb" && events.last?.message?.contains("entries") == true)
    }

    @Test("the nested-archive budget fails each further archive; documents go on")
    func archiveBudget() throws {
        var budgets = UnpackBudgets()
        budgets.maxArchives = 1
        let events = try unpackAll(try Paths.fixture("nested.tgz"), budgets: budgets)
        #expect(events.map(\.kind) == [.document, .document, .failed, .document])
        #expect(events[2].path == "bundle/hres240-109.xml.gz" && events[2].code == "bomb")
    }
}

/// Member names are keys, never paths: the refusals and their codes.
@Suite("Member names")
struct MemberNameTests {
    @Test(arguments: [
        ("../../escape.xml", "traversal"), ("/etc/passwd", "traversal"), ("C:\\win.xml", "traversal"),
        ("..\\..\\x.xml", "traversal"), ("docs/../../x.xml", "traversal"), ("a\u{0}b.xml", "bad-name"),
        ("ctl-\u{1B}[31m.xml", "bad-name"), ("", "bad-name"), ("ok/dir/file.xml", nil), ("..hidden/x.xml", nil),
    ] as [(String, String?)])
    func refusal(_ name: String, _ code: String?) {
        #expect(MemberName.problem(name)?.code.rawValue == code)
    }

    @Test func resourceForks() {
        #expect(MemberName.isResourceFork("__MACOSX/a/._b.xml"))
        #expect(MemberName.isResourceFork("dir/._b.xml"))
        #expect(!MemberName.isResourceFork("dir/b.xml"))
    }

    @Test func cp437Names() {
        let bytes: [UInt8] = [0x52, 0x82, 0x73, 0x75, 0x6D, 0x82, 0x5F, 0x61, 0xA4, 0x6F, 0x5F, 0x80, 0x2E, 0x78, 0x6D, 0x6C]
        #expect(MemberName.decodeZip(bytes, utf8Flag: false) == "Résumé_año_Ç.xml")
        #expect(MemberName.decodeZip(Array("Übersicht.xml".utf8), utf8Flag: true) == "Übersicht.xml")
    }
}
