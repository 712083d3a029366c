import Foundation
import SluiceCore
import SluiceUnpack
import SluiceTestSupport
import Testing

/// Real FOIA.gov bulk zips: every central-directory entry is accounted
/// for, and the XML members come out byte-exact (size and CRC-32 from the
/// central directory, checked with the tests' own CRC code). One FOIASetFull
/// zip (with its __MACOSX forks), the CSV release, and a subset of the IEPD
/// package's members (documents, OLE and OOXML files) are committed; all five
/// FOIASetFull zips and the whole IEPD package are checked by scripts/evaluate.
@Suite("Real FOIA.gov archives")
struct FOIAArchiveTests {
    static let archives = ["2012-FOIASetFull.zip", "FOIA_Annual_Report_v2.2-subset.zip", "all_agencies_csv_2013.zip"]

    @Test(arguments: archives)
    func everyEntryIsAccountedFor(_ name: String) throws {
        let path = try Fixtures.path("archives/foia-gov/\(name)")
        let listing = try TestZipListing([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let events = try unpackAll(path)
        let files = listing.entries.filter { !$0.name.hasSuffix("/") }
        try #require(!files.isEmpty)

        // One event per file entry, in central-directory order, nothing else.
        #expect(events.map(\.path) == files.map(\.name))
        for (entry, event) in zip(files, events) {
            if event.kind != .document {
                #expect(event.code != nil && !(event.message ?? "").isEmpty, "\(event) has no reason")
            }
            let lower = entry.name.lowercased()
            let isForkStub = entry.name.contains("__MACOSX/") || (entry.name.split(separator: "/").last?.hasPrefix("._") ?? false)
            if isForkStub {
                #expect(event.kind == .skipped && event.code == "resource-fork", "\(event)")
            } else if lower.hasSuffix(".xml") || lower.hasSuffix(".xsd") {
                #expect(event.kind == .document, "\(event)")
                #expect(event.data?.count == entry.size, "\(entry.name): size")
                #expect(event.data.map(TestCRC32.checksum) == entry.crc, "\(entry.name): CRC-32")
            } else if lower.hasSuffix(".csv") || lower.hasSuffix(".doc") || lower.hasSuffix(".docx")
                || lower.hasSuffix(".xls") || lower.hasSuffix(".xltm") || lower.hasSuffix(".xlam") || lower.hasSuffix(".rtf") {
                #expect(event.kind == .skipped && event.code == "unsupported-type", "\(event)")
            }
        }
        if name.hasSuffix("FOIASetFull.zip") {
            // ~100-120 agency reports per year, all XML, all documents.
            let xmlEntries = files.filter { $0.name.lowercased().hasSuffix(".xml") && !$0.name.contains("__MACOSX/") }
            #expect(xmlEntries.count >= 95)
            #expect(events.filter { $0.kind == .document }.count == xmlEntries.count)
        }
    }
}
