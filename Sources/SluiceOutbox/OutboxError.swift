/// The one error type of SluiceOutbox: a file of the Outbox that cannot be read,
/// written or locked, or that does not hold what Sluice wrote there.
public struct OutboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A small, open set of failure kinds.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A file or folder could not be read or written.
        public static let io = Code(rawValue: "io")
        /// A records file holds a line that is not a record.
        public static let badRecord = Code(rawValue: "bad-record")
        /// A deletions file is not in the `{"run": ..., "deleted": [...]}` shape.
        public static let badDeletions = Code(rawValue: "bad-deletions")
        /// Another run holds the Outbox's lock.
        public static let locked = Code(rawValue: "locked")
    }

    public var code: Code
    public var message: String
    /// The file the error is about, when there is one.
    public var path: String?
    /// The underlying error's description, when there is one.
    public var cause: String?

    public init(_ code: Code, _ message: String, path: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.cause = cause.map { String(describing: $0) }
    }

    public var description: String {
        var s = ""
        if let path { s += "\(path): " }
        s += message
        if let cause { s += " (\(cause))" }
        return s
    }
}
