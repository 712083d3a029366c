/// The stages a document goes through, in order.
public enum Stage: String, Sendable, CaseIterable, Comparable, Codable {
    case unpack
    case parse
    case extract
    case write

    /// Position in the pipeline.
    public var order: Int {
        switch self {
        case .unpack: 0
        case .parse: 1
        case .extract: 2
        case .write: 3
        }
    }

    public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.order < rhs.order }
}

/// The state of one (document, stage) row in the ledger.
public enum ItemStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case running
    case done
    case failed
    case skipped
    case quarantined
}
