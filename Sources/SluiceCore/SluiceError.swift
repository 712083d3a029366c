/// The one error type items fail with, whatever the stage.
///
/// `code` is the kind of failure (the ledger's `error_kind`, matched loosely by
/// the hostile-input manifest's reason classes); `message` says what failed, on
/// which item, and what to do about it.
public struct SluiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A small, open set of failure kinds.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Unpack budgets and archive structure.
        public static let bomb = Code(rawValue: "bomb")
        public static let tooDeep = Code(rawValue: "too-deep")
        public static let tooLarge = Code(rawValue: "too-large")
        public static let traversal = Code(rawValue: "traversal")
        public static let badName = Code(rawValue: "bad-name")
        public static let link = Code(rawValue: "link")
        public static let device = Code(rawValue: "device")
        public static let duplicate = Code(rawValue: "duplicate")
        public static let encrypted = Code(rawValue: "encrypted")
        public static let unsupported = Code(rawValue: "unsupported")
        public static let unsupportedType = Code(rawValue: "unsupported-type")
        public static let corrupt = Code(rawValue: "corrupt")
        public static let resourceFork = Code(rawValue: "resource-fork")
        public static let empty = Code(rawValue: "empty")
        // Parse.
        public static let encoding = Code(rawValue: "encoding")
        public static let entityExpansion = Code(rawValue: "entity-expansion")
        public static let xxeBlocked = Code(rawValue: "xxe-blocked")
        public static let malformed = Code(rawValue: "malformed")
        public static let binary = Code(rawValue: "binary")
        public static let noText = Code(rawValue: "no-text")
        // Running.
        public static let timeout = Code(rawValue: "timeout")
        /// The child process working on the item died (the message names the signal).
        public static let crashed = Code(rawValue: "crashed")
        /// The child process working on the item went over its memory limit.
        public static let outOfMemory = Code(rawValue: "out-of-memory")
        public static let io = Code(rawValue: "io")
        public static let config = Code(rawValue: "config")
        public static let `internal` = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String
    /// The item the error is about (a member path), when known.
    public var item: String?

    public init(_ code: Code, _ message: String, item: String? = nil) {
        self.code = code
        self.message = message
        self.item = item
    }

    public var description: String {
        if let item { return "\(code): \(item): \(message)" }
        return "\(code): \(message)"
    }
}
