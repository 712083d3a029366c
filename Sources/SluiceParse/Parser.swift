public import SluiceCore
internal import CSluiceLibXML2

/// Limits that keep hostile documents from exhausting the machine.
public struct ParseLimits: Sendable, Equatable {
    /// Bytes of input per document.
    public var maxDocumentBytes: Int = 256 << 20
    /// Characters of text kept per document.
    public var maxTextCharacters: Int = 20_000_000
    /// Element nesting.
    public var maxDepth: Int = 256

    public init() {}
}

/// Turns a member's bytes into one or more parsed documents.
public struct Parser: Sendable {
    public var limits: ParseLimits

    public init(limits: ParseLimits = ParseLimits()) {
        self.limits = limits
    }

    /// Sets libxml2 up once per process: thread-safe initialization, no
    /// messages on stderr, and no external entity ever loaded.
    public static let initializeLibXML2: Void = {
        xmlInitParser()
        csluice_xmlSilence()
        csluice_installNoExternalLoader()
    }()

    /// Parses one member. Throws `SluiceError` when the document must fail.
    public func parse(_ member: Member) throws -> [ParsedDocument] {
        Parser.initializeLibXML2
        guard !member.data.isEmpty else { throw SluiceError(.empty, "the document is empty (0 bytes)", item: member.path) }
        guard member.data.count <= limits.maxDocumentBytes else {
            throw SluiceError(.tooLarge, "the document is \(member.data.count) bytes, over the \(limits.maxDocumentBytes)-byte limit", item: member.path)
        }
        switch ContentSniffer.kind(name: member.path, prefix: member.data) {
        case .html:
            let (utf8, encoding) = EncodingDetector.htmlToUTF8(member.data)
            return [try HTMLDocumentReader(limits: limits).read(utf8, name: member.path, encoding: encoding)]
        case .xml:
            return [try XMLDocumentReader(limits: limits).read(member.data, name: member.path)]
        default:
            throw SluiceError(.unsupportedType, "not an XML or HTML document", item: member.path)
        }
    }
}
