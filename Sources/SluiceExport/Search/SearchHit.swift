public import SluiceCore

/// One document that matched a search.
public struct SearchHit: Sendable, Equatable {
    public var id: String
    public var release: String
    public var member: String
    public var title: String?
    /// Text around the best match, matched words between the query's highlight marks.
    public var snippet: String
    /// Relevance: SQLite's bm25 negated, so higher is better (title matches weigh 10x text matches).
    /// 0 when the search had only filters and no words.
    public var score: Double

    public init(id: String, release: String, member: String, title: String?, snippet: String, score: Double) {
        self.id = id
        self.release = release
        self.member = member
        self.title = title
        self.snippet = snippet
        self.score = score
    }

    /// `{"id","release","member","title","snippet","score"}`, the shape `sluice search --json` prints.
    public func json() -> JSONValue {
        .object([
            ("id", .string(id)), ("release", .string(release)), ("member", .string(member)),
            ("title", .optional(title)), ("snippet", .string(snippet)), ("score", .double(score)),
        ])
    }

    /// What `sluice search --json` prints: a JSON array of hits, with a trailing newline.
    public static func jsonText(_ hits: [SearchHit]) -> String {
        JSONValue.array(hits.map { $0.json() }).serialized() + "\n"
    }

    /// What `sluice search` prints on a terminal: per hit, a numbered line with release, member and
    /// title, then the snippet indented; "No matches." when there are none.
    public static func plainText(_ hits: [SearchHit]) -> String {
        guard !hits.isEmpty else { return "No matches.\n" }
        var out = ""
        for (i, hit) in hits.enumerated() {
            let where_ = hit.member == hit.release ? hit.release : "\(hit.release)!/\(hit.member)"
            out += "\(i + 1). \(where_)"
            if let title = hit.title, !title.isEmpty { out += " — \(title)" }
            out += "\n"
            let snippet = hit.snippet.split(whereSeparator: \.isNewline).joined(separator: " ")
            if !snippet.isEmpty { out += "   \(snippet)\n" }
        }
        return out
    }
}
