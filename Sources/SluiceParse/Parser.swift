public import SluiceCore
internal import CSluiceLibXML2
import SluiceMail

/// Limits that keep hostile documents from exhausting the machine.
public struct ParseLimits: Sendable, Equatable {
    /// Bytes of input per document.
    public var maxDocumentBytes: Int = 256 << 20
    /// Characters of text per document (per part for a split document). A
    /// document whose text would pass it fails as `.tooLarge`: never a silently
    /// truncated record.
    public var maxTextCharacters: Int = 20_000_000
    /// Element nesting (libxml2 itself stops at 256 without XML_PARSE_HUGE).
    public var maxDepth: Int = 256
    /// Bytes of internal-entity replacement text Sluice inserts per document;
    /// more fails the document as `.entityExpansion` (quadratic blow-up).
    public var maxEntityExpansionBytes: Int = 1 << 20
    /// Attributes on one element (XML or HTML, counted after decoding); more
    /// fails the document as `.tooLarge` before libxml2's quadratic
    /// duplicate-attribute check can run.
    public var maxAttributesPerElement: Int = 1000
    /// PDF documents: OCR, page and time limits (`parse.pdf` in the pipeline).
    public var pdf = PDFSettings()

    /// The defaults above.
    public init() {}
}

/// Turns a member's bytes into one or more parsed documents.
public struct Parser: Sendable {
    /// The limits every document is parsed under.
    public var limits: ParseLimits

    /// A parser; it holds no state besides its limits and may be shared by threads.
    public init(limits: ParseLimits = ParseLimits()) {
        self.limits = limits
    }

    /// The libxml2 version Sluice was built against, e.g. `2.9.14` (for `sluice --version`).
    public static var libxml2Version: String { LIBXML_DOTTED_VERSION }

    /// Sets libxml2 up once per process: thread-safe initialization, no
    /// messages on stderr, and no external entity ever loaded.
    public static let initializeLibXML2: Void = {
        xmlInitParser()
        csluice_xmlSilence()
        csluice_installNoExternalLoader()
    }()

    /// Parses one member into one document, or one per part for a Federal
    /// Register daily issue (`FEDREG`) or an eCFR title (`ECFR`). Throws
    /// `SluiceError` when the document must fail: `.empty`, `.tooLarge` (bytes,
    /// text or attributes over the limits), `.binary`, `.encoding`, `.malformed`
    /// (with libxml2's message and line), `.tooDeep`, `.entityExpansion`,
    /// `.xxeBlocked`, `.noText`, `.unsupportedType`.
    public func parse(_ member: Member) throws -> [ParsedDocument] {
        Parser.initializeLibXML2
        let name = member.path
        guard member.data.contains(where: { !Self.isBlank($0) }) else {
            throw SluiceError(.empty, "the document is empty (\(member.data.count) bytes, no content)", item: name)
        }
        // libxml2 takes a document's length as a C int: past 2 GiB it cannot be read whatever the limit says.
        let maxBytes = min(limits.maxDocumentBytes, Int(Int32.max))
        guard member.data.count <= maxBytes else {
            throw SluiceError(.tooLarge, "the document is \(member.data.count) bytes, over the \(maxBytes)-byte limit", item: name)
        }
        // A PDF is binary by nature: it goes to poppler before the binary check.
        if member.data.starts(with: Array("%PDF-".utf8)) {
            return [try PDFReader(settings: limits.pdf).read(member.data, name: name)]
        }
        if MIMEParser.looksLikeMessage(name: name, head: member.data.prefix(4096)) {
            return [try EmailReader(limits: limits).read(member.data, name: name)]
        }
        try BinaryDetector.check(member.data, name: name)
        switch MarkupSniffer.kind(name: name, bytes: member.data) {
        case .html:
            let (utf8, encoding) = try EncodingDetector.htmlToUTF8(member.data, name: name)
            try AttributeScan.check(utf8, limit: limits.maxAttributesPerElement, name: name)
            if !PlainTextReader.hasMarkup(utf8) {
                return [try PlainTextReader.read(utf8, name: name, encoding: encoding, limits: limits)]
            }
            return [try HTMLDocumentReader(limits: limits).read(utf8, name: name, encoding: encoding)]
        case .xml:
            let layout = AttributeScan.xmlLayout(member.data)
            let declared = EncodingDetector.xmlDeclaredEncoding(member.data)
            // What libxml2 reads as UTF-8: undeclared, declared UTF-8, or a Western label (pure ASCII,
            // or converted to UTF-8 by Sluice first). Other labels may put 0x3C inside a character.
            let utf8 = layout == .asciiCompatible
                && (declared == nil || declared == "utf-8" || declared == "utf8"
                    || EncodingDetector.westernLabels.contains(declared ?? ""))
            try AttributeScan.check(member.data, layout: layout, xml: utf8, limit: limits.maxAttributesPerElement, name: name)
            return try XMLDocumentReader(limits: limits).read(member.data, name: name)
        default:
            throw SluiceError(.unsupportedType, "not an XML, HTML or PDF document", item: name)
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
