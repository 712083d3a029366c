public import SluiceCore
import Foundation
import SluiceParse
import SluiceExtract
import SluiceFormats

/// The work of the parse and extract stages, as the stage pools call it. A run uses
/// `DocumentProcessor` in its own process (`isolation: none`) or `IsolatedProcessor`, which
/// sends each member to a supervised child process (`isolation: process`); tests may wrap
/// either to inject faults without any hook in the production path.
public protocol DocumentProcessing: Sendable {
    /// The parse stage: one member into its documents, or (a child process that parses and
    /// extracts in one go) straight into its records.
    func parse(_ member: Member, source: DocumentSource) throws -> ParseOutput
    /// The extract stage: the records of documents the parse stage gave.
    func extract(_ documents: [ParsedDocument], source: DocumentSource) -> [Record]
    /// Whether `parse` runs elsewhere (a child process) while the calling thread only waits.
    var parsesElsewhere: Bool { get }
    /// Called before the first document: a processor whose helpers start in the background waits
    /// for them here, and throws (the run's error) when they cannot start.
    func prepare() throws
}

extension DocumentProcessing {
    public var parsesElsewhere: Bool { false }
    public func prepare() throws {}
}

/// What a record says about where its document came from.
public struct DocumentSource: Sendable {
    /// The release's path in the Inbox.
    public var release: String
    /// The member's path inside the release.
    public var member: String
    /// SHA-256 (hex) and size of the member's bytes.
    public var sha256: String
    public var bytes: Int

    public init(release: String, member: String, sha256: String, bytes: Int) {
        self.release = release
        self.member = member
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// What the parse stage hands on.
public enum ParseOutput: Sendable {
    /// Parsed documents, for the extract stage.
    case documents([ParsedDocument])
    /// Records already made (a child process parsed and extracted the member in one request).
    case records(RecordLines)
}

/// Records serialized as the records file holds them: one JSON object a line, newline included.
public struct RecordLines: Sendable, Equatable {
    /// The media type of the member's first document (what the parse stage's ledger row names).
    public var mediaType: String?
    public var count: Int
    public var bytes: [UInt8]

    public init(mediaType: String?, count: Int, bytes: [UInt8]) {
        self.mediaType = mediaType
        self.count = count
        self.bytes = bytes
    }

    /// The lines of `records`, serialized once, here, whichever process made them: records
    /// are byte-identical with and without process isolation.
    public init(_ records: [Record], mediaType: String?) {
        var bytes: [UInt8] = []
        for record in records {
            record.write(into: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        self.init(mediaType: mediaType, count: records.count, bytes: bytes)
    }
}

/// Parse and extract for one document, with the run's configuration: the work
/// of the parse and extract stages, shared by `run` and `inspect`.
public struct DocumentProcessor: DocumentProcessing {
    public let config: PipelineConfig
    private let parser: Parser
    private let textExtractor: TextExtractor
    private let formatExtractor: FormatExtractor?

    /// Versions of everything that shapes a record: part of every release's key.
    public static let versions: [(String, JSONValue)] = [
        ("sluice", .string(SluiceVersion.current)),
        ("text_extractor", .string(TextExtractor.version)),
        ("format_extractor", .string(FormatExtractor.version)),
    ]

    public init(config: PipelineConfig) throws {
        self.config = config
        parser = Parser(limits: config.parse)
        textExtractor = try TextExtractor(configuration: config.extract)
        formatExtractor = config.formats ? FormatExtractor() : nil
    }

    /// The parse stage's work, as the pools call it.
    public func parse(_ member: Member, source: DocumentSource) throws -> ParseOutput {
        .documents(try parse(member))
    }

    /// The extract stage's work, as the pools call it: each document's entities, made into its record.
    public func extract(_ documents: [ParsedDocument], source: DocumentSource) -> [Record] {
        documents.map { document in
            record(release: source.release, member: source.member, sha256: source.sha256, bytes: source.bytes,
                   document: document, extraction: extract(document))
        }
    }

    /// One member into its documents (several for a split daily issue).
    public func parse(_ member: Member) throws -> [ParsedDocument] {
        let documents = try parser.parse(member)
        if documents.isEmpty || documents.allSatisfy({ $0.text.isEmpty && $0.fields.isEmpty }) {
            throw SluiceError(.noText, "the document has no text", item: member.path)
        }
        return documents
    }

    /// The extract stage: entities and properties for one parsed document.
    public func extract(_ document: ParsedDocument) -> Extraction {
        var entities = textExtractor.extract(document)
        var properties: [(String, JSONValue)] = []
        if let format = formatExtractor?.extract(document) {
            entities.merge(format.entities)
            properties = format.properties
        }
        // A PDF's own metadata (as pdfinfo gives it), an e-mail's headers.
        let metaProperties: [String] = switch document.mediaType {
        case .pdf: ["pdf_title", "pdf_author", "pdf_creation_date", "pdf_producer"]
        case .email: ["email_from", "email_to", "email_cc", "email_date", "email_subject"]
        default: []
        }
        for key in metaProperties {
            if let value = document.meta[key] { properties.append((key, .string(value))) }
        }
        return Extraction(entities: entities, properties: properties)
    }

    /// The record for one document, as the write stage serializes it.
    public func record(release: String, member: String, sha256: String, bytes: Int, document: ParsedDocument,
                       extraction: Extraction) -> Record {
        var text: String? = config.output.includeText ? document.text : nil
        var whole = text != nil
        // A String's UTF-8 length bounds its scalar count: only a text that might be over the cap is counted.
        if let cap = config.output.maxTextCharacters, let full = text, full.utf8.count > cap,
           full.unicodeScalars.count > cap {
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: full.unicodeScalars.prefix(cap))
            text = String(cut)
            whole = false
        }
        var record = Record(
            release: release, member: member, part: document.part, sha256: sha256, bytes: bytes,
            mediaType: document.mediaType.rawValue, encoding: document.encoding, title: document.title, text: text,
            extraction: extraction,
            producedBy: [("pipeline", .string(config.name))] + DocumentProcessor.versions)
        // Page offsets point into the text: with the text left out or cut, they would not.
        if whole {
            record.pages = document.pages
            record.ocrPages = document.ocrPages
        }
        return record
    }
}

/// The version of Sluice itself.
public enum SluiceVersion {
    public static let current = "0.1.0"
}
