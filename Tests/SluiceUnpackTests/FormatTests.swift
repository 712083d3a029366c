import Foundation
import SluiceCore
import SluiceTestSupport
@testable import SluiceUnpack
import Testing

/// Archive formats on fixtures built from real corpus files (Fixtures/SOURCES.md).
@Suite("Archive formats")
struct FormatTests {
    @Test("tar.gz of corpus files: documents byte-exact in archive order, the CSV skipped")
    func tarGz() throws {
        let events = try unpackAll(try Paths.fixture("foia-mix.tar.gz"))
        #expect(events.map(\.path) == [
            "reports/hres9-112.xml", "reports/sample_hearing.xml", "pages/oip-100512.html", "data/subsection-c-used.csv",
        ])
        #expect(events[0].data == (try Fixtures.bytes("congress-xml/govtrack/hres9-112.xml")))
        #expect(events[1].data == (try Fixtures.bytes("congress-xml/hearings/sample_hearing.xml")))
        #expect(events[2].data == (try Fixtures.bytes("agency-html/doj-oip/oip-100512.html")))
        #expect(events[3].kind == .skipped && events[3].code == "unsupported-type")
    }

    @Test("multi-member gzip: one document holding every member's bytes")
    func multiMemberGzip() throws {
        let events = try unpackAll(try Paths.fixture("split.xml.gz"))
        #expect(events.count == 1)
        #expect(events.first?.path == "split.xml")
        #expect(events.first?.data == (try Fixtures.bytes("congress-xml/hearings/sample_witness.xml")))
    }

    @Test("zip and .xml.gz nested in a tgz: paths joined with !/, bytes exact")
    func nestedInTgz() throws {
        let events = try unpackAll(try Paths.fixture("nested.tgz"))
        #expect(events.map(\.path) == [
            "bundle/inner.zip!/inner/hconres74-112.xml", "bundle/inner.zip!/inner/oip-100512.html",
            "bundle/hres240-109.xml.gz!/hres240-109.xml", "top.xml",
        ])
        #expect(events.allSatisfy { $0.kind == .document })
        #expect(events[0].data == (try Fixtures.bytes("congress-xml/govtrack/hconres74-112.xml")))
        #expect(events[1].data == (try Fixtures.bytes("agency-html/doj-oip/oip-100512.html")))
        #expect(events[2].data == (try Fixtures.bytes("congress-xml/govtrack/hres240-109.xml")))
        #expect(events[3].data == (try Fixtures.bytes("congress-xml/hearings/sample_hearing.xml")))
    }

    @Test("a loose document is one document named after the release's own file")
    func looseDocument() throws {
        let events = try unpackAll(try Fixtures.path("congress-xml/govtrack/hres9-112.xml"), release: "2012/bills/hres9-112.xml")
        #expect(events.count == 1)
        #expect(events.first?.kind == .document && events.first?.path == "hres9-112.xml")
        #expect(events.first?.data == (try Fixtures.bytes("congress-xml/govtrack/hres9-112.xml")))
    }

    @Test("an Info-ZIP Unicode Path field names the member when its CRC matches the stored name")
    func unicodePathField() throws {
        let events = try unpackAll(try Paths.fixture("unicode-path.zip"))
        #expect(events.map(\.path) == ["Résumé-2019.xml"])
        #expect(events.first?.data == (try Fixtures.bytes("congress-xml/hearings/sample_witness.xml")))
    }

    @Test("a loose document over the member budget fails as too-large, not as a bomb")
    func looseTooLarge() throws {
        var budgets = UnpackBudgets()
        budgets.maxMemberBytes = 3000
        let events = try unpackAll(try Fixtures.path("congress-xml/govtrack/hres9-112.xml"), budgets: budgets)
        #expect(events.map(\.kind) == [.failed])
        #expect(events.first?.code == "too-large")
    }

    @Test("a loose non-document is skipped as unsupported-type")
    func looseOther() throws {
        let events = try unpackAll(try Paths.fixture("originals/subsection-c-used.csv"))
        #expect(events.map(\.code) == ["unsupported-type"])
    }

    @Test("a release that cannot be opened throws an io error")
    func missingRelease() {
        #expect(throws: SluiceError.self) {
            try Unpacker().unpack(path: "/nonexistent/sluice/release.zip", release: "release.zip") { _ in }
        }
    }

    @Test("errors thrown by emit come out of unpack unchanged")
    func emitErrorsPropagate() throws {
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) {
            try Unpacker().unpack(path: try Paths.fixture("foia-mix.tar.gz"), release: "foia-mix.tar.gz") { _ in
                seen += 1
                throw Stop()
            }
        }
        #expect(seen == 1)
    }
}
