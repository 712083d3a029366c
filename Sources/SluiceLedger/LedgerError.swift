/// Why the ledger could not be used. The run cannot go on without it (exit 3).
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var cause: String?

    public init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = cause.map { "\($0)" }
    }

    public var description: String {
        if let cause { return "\(message): \(cause)" }
        return message
    }
}
