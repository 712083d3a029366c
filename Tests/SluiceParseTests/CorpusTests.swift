import Foundation
import SluiceCore
import Testing

@testable import SluiceParse

/// Every loose XML and HTML file of the shared corpus parses to text.
@Suite("Corpus documents parse to non-empty text")
struct CorpusTests {
    /// Files that cannot give a record, with the error they must fail with.
    /// wantlist.xml is a NIEM schema-subset want list: all of its data sits in
    /// attributes, so it has no text to index.
    static let exceptions: [String: SluiceError.Code] = ["foia-annual-xml/schema-v2/Subset/wantlist.xml": .noText]

    static func documentFiles() -> [String] {
        let root = Corpus.root
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var out: [String] = []
        for case let url as URL in walker {
            let relative = String(url.path.dropFirst(root.path.count + 1))
            if relative.hasPrefix("hostile/") { continue }
            let lower = relative.lowercased()
            if lower.hasSuffix(".xml") || lower.hasSuffix(".html") || lower.hasSuffix(".htm") { out.append(relative) }
        }
        return out.sorted()
    }

    static let files = documentFiles()

    @Test("the walk finds the corpus")
    func corpusIsThere() {
        #expect(Self.files.count > 100)
    }

    @Test(arguments: files)
    func parsesToText(_ relative: String) throws {
        let bytes = try Corpus.bytes(relative)
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
