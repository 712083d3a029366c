import SluiceCore
import SluiceOutbox

/// The one error type of SluiceExport: exports, the record schema and the search index.
///
/// `code` says what kind of failure it is (the CLI maps `.badQuery` and `.usage` to
/// exit status 2, the rest to 3); `message` says what failed, on what, and what to do.
public struct ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A small, open set of failure kinds.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A file or folder could not be read or written.
        public static let io = Code(rawValue: "io")
        /// A records file holds a line that is not a JSON object.
        public static let badRecord = Code(rawValue: "bad-record")
        /// A deletions file is not in the `{"run": ..., "deleted": [...]}` shape.
        public static let badDeletions = Code(rawValue: "bad-deletions")
        /// The search query cannot be run (unbalanced quote, nothing to search for, bad date).
        public static let badQuery = Code(rawValue: "bad-query")
        /// The search index is missing, unreadable or from another version.
        public static let badIndex = Code(rawValue: "bad-index")
        /// Arguments that cannot work together (an output path that is a file where a folder is needed).
        public static let usage = Code(rawValue: "usage")
        /// The PostgreSQL search database cannot be reached, or refused a statement (the server's words follow).
        public static let database = Code(rawValue: "database")
        /// A compiled-in resource (mapping, settings, schema) is broken: a packaging bug.
        public static let resource = Code(rawValue: "resource")
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
        var s = "\(code): "
        if let path { s += "\(path): " }
        s += message
        if let cause { s += " (\(cause))" }
        return s
    }
}

extension ExportError {
    /// An error from the Outbox or the JSON reader as an export error (an `ExportError` as it is).
    init(_ error: any Error) {
        switch error {
        case let error as ExportError:
            self = error
        case let error as OutboxError:
            let code: Code = error.code == .badRecord ? .badRecord : error.code == .badDeletions ? .badDeletions : .io
            self.init(code, error.message, path: error.path)
            cause = error.cause
        case let error as SluiceError:
            self.init(.badRecord, error.message)
        default:
            self.init(.io, "\(error)")
        }
    }
}

/// Runs Outbox or JSON reading inside an export, so every error that leaves it is an `ExportError`.
func mapped<T>(_ body: () throws -> T) throws(ExportError) -> T {
    do {
        return try body()
    } catch {
        throw ExportError(error)
    }
}
