/// What went wrong talking to PostgreSQL: a URL that does not parse, a server that cannot be
/// reached, or a statement the server refused. Messages never carry a password.
public struct PostgresAccessError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// The database URL is not a `postgres://` URL Sluice can use.
        public static let badURL = Code(name: "bad-url")
        /// The server could not be reached or refused the sign-in.
        public static let unavailable = Code(name: "unavailable")
        /// A statement failed on the server.
        public static let statement = Code(name: "statement")
    }

    public let code: Code
    public let message: String
    public let cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
