/// One `sluice search`: words and "quoted phrases", with optional filters.
public struct SearchQuery: Sendable, Equatable {
    /// Words (all must match) and "quoted phrases"; may be empty when a filter is given.
    public var text: String
    /// An agency name or acronym; matches case-insensitively (`ice`, `U.S. Immigration and Customs Enforcement`).
    public var agency: String?
    /// A program name or acronym; matches case-insensitively.
    public var program: String?
    /// Earliest date, `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `FY2013` (its first day counts).
    public var from: String?
    /// Latest date, same forms (its last day counts).
    public var to: String?
    /// Most hits to return. Default 20.
    public var limit: Int
    /// Put around matched words in snippets. Defaults `[` and `]`, readable on a terminal and in JSON.
    public var highlight: (open: String, close: String)

    public init(
        _ text: String, agency: String? = nil, program: String? = nil, from: String? = nil, to: String? = nil,
        limit: Int = 20, highlight: (open: String, close: String) = ("[", "]")
    ) {
        self.text = text
        self.agency = agency
        self.program = program
        self.from = from
        self.to = to
        self.limit = limit
        self.highlight = highlight
    }

    public static func == (lhs: SearchQuery, rhs: SearchQuery) -> Bool {
        lhs.text == rhs.text && lhs.agency == rhs.agency && lhs.program == rhs.program && lhs.from == rhs.from
            && lhs.to == rhs.to && lhs.limit == rhs.limit && lhs.highlight == rhs.highlight
    }
}
