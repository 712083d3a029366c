import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SluiceParse

/// Every XML and HTML document of the committed corpus subset (Tests/Fixtures/corpus: each kind of
/// document the shared corpus holds) parses to text. scripts/evaluate runs the whole shared corpus.
@Suite("Corpus documents parse to non-empty text")
struct CorpusTests {
    /// Files that cannot give a record, with the error they must fail with.
    /// wantlist.xml is a NIEM schema-subset want list: all of its data sits in
    /// attributes, so it has no text to index.
    static let exceptions: [String: SluiceError.Code] = ["foia-annual-xml/schema-v2/Subset/wantlist.xml": .noText]

    static func documentFiles() -> [String] {
        let all = (try? Fixtures.files()) ?? []
        return all.filter { relative in
            let lower = relative.lowercased()
            return !relative.hasPrefix("hostile/") && (lower.hasSuffix(".xml") || lower.hasSuffix(".html") || lower.hasSuffix(".htm"))
        }
    }

    static let files = documentFiles()

    @Test("the walk finds the corpus subset, packed files included")
    func corpusIsThere() {
        #expect(Self.files.count >= 38)
        #expect(Self.files.contains("federal-register-xml/daily-issue/FR-2024-02-12.xml"))
    }

    @Test(arguments: files)
    func parsesToText(_ relative: String) throws {
        let bytes = try Fixtures.bytes(relative)
        let name = (relative as NSString).lastPathComponent
        if let expected = Self.exceptions[relative] {
            #expect(parseError(bytes, name: name)?.code == expected)
            return
        }
        let documents = try parse(bytes, name: name)
        #expect(!documents.isEmpty)
        // Every corpus file's content matches its extension (the sniffer must not be fooled by <HEADER>).
        let expectedType: ParsedDocument.MediaType = relative.lowercased().hasSuffix(".xml") ? .xml : .html
        #expect(documents.allSatisfy { $0.mediaType == expectedType }, "\(relative) sniffed as \(documents.first?.mediaType.rawValue ?? "-")")
        for document in documents {
            #expect(!document.text.isEmpty, "\(relative) part \(document.part ?? "-") has no text")
            #expect(document.text.isCleanText, "\(relative) has NUL, C1 or U+FFFD in its text")
            #expect(document.title?.isEmpty == false, "\(relative) has no title")
            // One block per line: no blank lines, no leading/trailing white space on a line.
            #expect(!document.text.contains("\n\n"))
            if document.mediaType == .xml {
                #expect(document.fields.first?.depth == 0)
                #expect(document.root == document.fields.first?.name)
            }
        }
    }
}
