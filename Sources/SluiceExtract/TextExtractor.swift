public import SluiceCore
import Foundation

/// Which text extractors run, and the user's own gazetteer files.
public struct ExtractConfiguration: Sendable, Equatable {
    /// Find government bodies (default true).
    public var agencies = true
    /// Find dates and fiscal years (default true).
    public var dates = true
    /// Find named programs, initiatives and policies (default true).
    public var programs = true
    /// Find counts, amounts, percentages and durations (default true).
    public var counts = true
    /// Paths of user gazetteer files (agencies and programs) to add to the
    /// shipped ones. Format: UTF-8, one entry a line,
    /// `kind<TAB>name<TAB>acronym<TAB>parent<TAB>variants` with kind `agency`
    /// or `program`, variants separated by `|`, `#` comment lines (see `Gazetteer`).
    public var userGazetteers: [String] = []

    public init() {}

    public init(agencies: Bool = true, dates: Bool = true, programs: Bool = true, counts: Bool = true, userGazetteers: [String] = []) {
        self.agencies = agencies
        self.dates = dates
        self.programs = programs
        self.counts = counts
        self.userGazetteers = userGazetteers
    }
}

/// Finds agencies, dates, programs and counts in a document's text.
///
/// Create one per run (it loads the gazetteers once) and call `extract` from
/// any number of threads: it holds no mutable state.
public struct TextExtractor: Sendable {
    /// Part of the ledger key: changing any rule changes this.
    public static let version = "1.8.0"

    public var configuration: ExtractConfiguration
    private let gazetteer: Gazetteer

    /// Loads the shipped gazetteers and the user's; throws a `SluiceError`
    /// with code `config` when a file is missing or malformed.
    public init(configuration: ExtractConfiguration = ExtractConfiguration()) throws {
        self.configuration = configuration
        var gazetteer = Gazetteer()
        // The shipped gazetteer is compiled in (Resources/*.tsv, by scripts/embed-resources).
        for (path, text) in ShippedGazetteer.sources {
            try gazetteer.load(text, source: path)
        }
        for path in configuration.userGazetteers {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw SluiceError(.config, "cannot read the user gazetteer (\(error.localizedDescription)); check extract.gazetteers in the pipeline file", item: path)
            }
            try gazetteer.load(text, source: path)
        }
        self.gazetteer = gazetteer
    }

    /// The entities of one document; mention offsets are Unicode-scalar
    /// offsets into `document.text`.
    public func extract(_ document: ParsedDocument) -> Entities {
        // A pipeline that keeps none of the four (`extractors: [formats]` or `[]`) does not pay for tokenizing.
        guard configuration.dates || configuration.counts || configuration.agencies || configuration.programs else {
            return Entities()
        }
        let doc = DocumentText(document.text)
        var entities = Entities()
        // The date scan's, which the count scan reads: both run or neither (no array made to be replaced).
        var consumed: [Bool] = []
        if configuration.dates || configuration.counts {
            let result = DateExtractor().extract(doc, documentYear: Self.documentYear(document))
            consumed = result.consumed
            if configuration.dates { entities.dates = result.dates }
        }
        if configuration.agencies || configuration.programs {
            let agencies = AgencyExtractor(gazetteer: gazetteer).extract(doc)
            if configuration.agencies { entities.agencies = agencies }
            if configuration.programs {
                entities.programs = ProgramExtractor(gazetteer: gazetteer).extract(doc, agencies: agencies)
            }
        }
        if configuration.counts { entities.counts = CountExtractor().extract(doc, skipping: consumed) }
        // Dates and counts are read from their written shape; agencies and programs say their own source.
        entities.setSourceWhereUnknown(.pattern)
        return entities
    }

    /// The year of the document's own date (publication or modification date
    /// in its metadata), for dates written without a year.
    static func documentYear(_ document: ParsedDocument) -> Int? {
        for key in document.meta.keys.sorted() where key.lowercased().contains("date") {
            guard let value = document.meta[key] else { continue }
            let scalars = Array(value.unicodeScalars)
            var k = 0
            while k + 4 <= scalars.count {
                let window = scalars[k..<(k + 4)]
                let boundary = (k == 0 || !Tokenizer.isDigit(scalars[k - 1])) && (k + 4 == scalars.count || !Tokenizer.isDigit(scalars[k + 4]))
                if boundary, window.allSatisfy(Tokenizer.isDigit), let y = Int(String(String.UnicodeScalarView(window))), (1900...2099).contains(y) {
                    return y
                }
                k += 1
            }
        }
        return nil
    }
}
