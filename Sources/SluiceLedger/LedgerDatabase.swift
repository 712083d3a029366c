/// A value in a ledger row or a statement argument: the ledger's tables hold only text and integers.
public enum LedgerValue: Sendable, Equatable {
    case null
    case int(Int)
    case text(String)
}

extension LedgerValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .int(value) }

    init(_ value: String?) { self = value.map(LedgerValue.text) ?? .null }
    init(_ value: Int?) { self = value.map(LedgerValue.int) ?? .null }
}

/// One result row, by column name.
public struct LedgerRow: Sendable {
    var values: [String: LedgerValue]

    public init(_ values: [String: LedgerValue]) { self.values = values }

    /// The column as text; nil when NULL or missing.
    public func text(_ column: String) -> String? {
        switch values[column] {
        case .text(let s): s
        case .int(let i): String(i)
        default: nil
        }
    }

    /// The column as an integer; nil when NULL, missing or not a number.
    public func int(_ column: String) -> Int? {
        switch values[column] {
        case .int(let i): i
        case .text(let s): Int(s)
        default: nil
        }
    }

    func string(_ column: String) -> String { text(column) ?? "" }
}

/// What differs between the SQL of the two backends. Statements are written once, with `?`
/// placeholders and the common subset of SQLite's and PostgreSQL's syntax; the few places that
/// differ ask the dialect.
public struct LedgerDialect: Sendable {
    /// `sqlite` or `postgres`.
    public var name: String
    /// An SQL expression for the database's clock in milliseconds since 1970 (one clock for every
    /// worker, whatever machine it runs on).
    var nowMillis: String
    /// Appended to a `SELECT` that claims rows, so two workers never claim the same one.
    var claimLock: String
    /// Appended to a `SELECT` that locks rows until the transaction ends (SQLite's transactions
    /// already run one at a time).
    var rowLock: String
    /// A statement run first in the migration transaction, so two processes never migrate at once.
    var migrationLock: String?

    static let sqlite = LedgerDialect(
        name: "sqlite", nowMillis: "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)", claimLock: "", rowLock: "",
        migrationLock: nil)
    static let postgres = LedgerDialect(
        name: "postgres", nowMillis: "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
        claimLock: " FOR UPDATE SKIP LOCKED", rowLock: " FOR UPDATE", migrationLock: "SELECT pg_advisory_xact_lock(7316001)")
}

/// Statements inside one transaction.
public protocol LedgerTransaction {
    /// Runs a statement; returns the rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [LedgerValue]) throws -> Int
    /// Runs a query; returns its rows.
    func query(_ sql: String, _ arguments: [LedgerValue]) throws -> [LedgerRow]
}

extension LedgerTransaction {
    @discardableResult
    func execute(_ sql: String) throws -> Int { try execute(sql, []) }
}

/// A database that holds a ledger: the one thing each backend implements.
public protocol LedgerDatabase: Sendable {
    var dialect: LedgerDialect { get }
    /// Where the ledger is, for messages: never with a password.
    var description: String { get }
    /// Runs `body` in one transaction: all of its statements take effect, or none.
    func transaction<T>(_ body: (any LedgerTransaction) throws -> T) throws -> T
    /// Runs one statement on its own: atomic by itself, so no explicit transaction around it
    /// (on PostgreSQL one round trip instead of three with BEGIN and COMMIT).
    @discardableResult
    func executeAlone(_ sql: String, _ arguments: [LedgerValue]) throws -> Int
    /// Runs read-only statements.
    func read<T>(_ body: (any LedgerTransaction) throws -> T) throws -> T
    /// Closes connections (PostgreSQL); the ledger is not used afterwards.
    func close()
}
