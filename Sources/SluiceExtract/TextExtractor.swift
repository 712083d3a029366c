public import SluiceCore

/// Which text extractors run, and the user's own gazetteer files.
public struct ExtractConfiguration: Sendable, Equatable {
    public var agencies = true
    public var dates = true
    public var programs = true
    public var counts = true
    /// Paths of user gazetteer files (agencies and programs) to add to the shipped ones.
    public var userGazetteers: [String] = []

    public init() {}
}

/// Finds agencies, dates, programs and counts in a document's text.
public struct TextExtractor: Sendable {
    /// Part of the ledger key: changing any rule changes this.
    public static let version = "0.0.1"

    public var configuration: ExtractConfiguration

    public init(configuration: ExtractConfiguration = ExtractConfiguration()) throws {
        self.configuration = configuration
    }

    public func extract(_ document: ParsedDocument) -> Entities {
        Entities() // PLACEHOLDER
    }
}
