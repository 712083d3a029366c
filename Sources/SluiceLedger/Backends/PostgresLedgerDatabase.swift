import Foundation
internal import PostgresNIO
internal import SluicePostgres


/// The shared backend: a PostgreSQL database (postgres-nio) that workers on many machines use at once.
///
/// The scheduler's threads call the ledger synchronously; each statement runs on one connection,
/// opened when first needed and again after it was lost, and waited for on the calling thread
/// (never an event loop thread). One transaction at a time per process: a worker's writes are
/// few and small (a batch of item rows, a claim, a heartbeat), and PostgreSQL orders the workers.
final class PostgresLedgerDatabase: LedgerDatabase, @unchecked Sendable {
    // @unchecked: `current` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var current: PostgresConnection?
    /// After a failed connect, calls fail at once until then, instead of each waiting on a dead
    /// server in turn (the stage workers, the writer and the heartbeat all use the ledger).
    private var quietUntil = Date.distantPast
    private var lastFailure: LedgerError?
    private let location: PostgresLocation
    private let logger: Logger
    let description: String
    var dialect: LedgerDialect { .postgres }

    /// Connects at once, so an unreachable server is reported when the run starts (exit 3).
    init(url: String, logger: Logger) throws {
        do {
            location = try PostgresLocation(url: url)
        } catch {
            throw LedgerError(error.message)
        }
        description = location.description
        self.logger = logger
        try withConnection { _ in }
    }

    private struct Transaction: LedgerTransaction {
        let connection: PostgresConnection
        let logger: Logger
        let location: PostgresLocation
        /// The transaction's BEGIN, sent without waiting for its answer: it goes out with the first
        /// statement (one round trip, not two), and its answer, which PostgreSQL sends before that
        /// statement's, is checked with it.
        var begun: EventLoopFuture<PostgresQueryResult>? = nil

        func execute(_ sql: String, _ arguments: [LedgerValue]) throws -> Int {
            try run(sql, arguments).metadata.rows ?? 0
        }

        func query(_ sql: String, _ arguments: [LedgerValue]) throws -> [LedgerRow] {
            try run(sql, arguments).rows.map { row in
                var values: [String: LedgerValue] = [:]
                for cell in row { values[cell.columnName] = Transaction.value(cell) }
                return LedgerRow(values)
            }
        }

        private func run(_ sql: String, _ arguments: [LedgerValue]) throws -> PostgresQueryResult {
            var binds = PostgresBindings(capacity: arguments.count)
            for argument in arguments {
                switch argument {
                case .null: binds.appendNull()
                case .int(let i): binds.append(i)
                case .text(let s): binds.append(s)
                }
            }
            let query = PostgresQuery(unsafeSQL: Transaction.numbered(sql), binds: binds)
            do {
                let result = try PostgresLedgerDatabase.wait(for: connection.query(query, logger: logger), connection: connection)
                // Answered in order, so BEGIN's answer is in; a BEGIN the server refused fails the transaction here.
                if let begun { _ = try begun.wait() }
                return result
            } catch let error as LedgerError {
                throw error
            } catch {
                throw LedgerError("the PostgreSQL ledger refused a statement", cause: PostgresAccessError.wrapping(error, at: location))
            }
        }

        /// `?` placeholders as PostgreSQL's `$1`, `$2`, ... (the ledger's SQL has no `?` in literals).
        static func numbered(_ sql: String) -> String {
            var out = ""
            out.reserveCapacity(sql.utf8.count + 8)
            var n = 0
            for ch in sql {
                if ch == "?" {
                    n += 1
                    out += "$\(n)"
                } else {
                    out.append(ch)
                }
            }
            return out
        }

        static func value(_ cell: PostgresCell) -> LedgerValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return (try? cell.decode(Int.self)).map(LedgerValue.int) ?? .null
            default: return (try? cell.decode(String.self)).map(LedgerValue.text) ?? .null
            }
        }
    }

    /// Seconds a statement may go unanswered before its connection is given up.
    static let answerSeconds = 15.0

    /// The future's value, waited for at most `answerSeconds`: a server that vanished without
    /// closing the socket must not hold the ledger (and every thread behind it) for ever.
    static func wait<T: Sendable>(for future: EventLoopFuture<T>, connection: PostgresConnection) throws -> T {
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { _ in done.signal() }
        guard done.wait(timeout: .now() + answerSeconds) == .success else {
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
            throw LedgerError("the PostgreSQL ledger did not answer in \(Int(answerSeconds)) s")
        }
        return try future.wait()
    }

    func transaction<T>(_ body: (any LedgerTransaction) throws -> T) throws -> T {
        try withConnection { connection in
            let tx = Transaction(connection: connection, logger: logger, location: location,
                                 begun: connection.query("BEGIN", logger: logger))
            do {
                let result = try body(tx)
                try tx.execute("COMMIT")
                return result
            } catch {
                _ = try? tx.execute("ROLLBACK")
                throw error
            }
        }
    }

    func executeAlone(_ sql: String, _ arguments: [LedgerValue]) throws -> Int {
        try withConnection { connection in
            try Transaction(connection: connection, logger: logger, location: location).execute(sql, arguments)
        }
    }

    func read<T>(_ body: (any LedgerTransaction) throws -> T) throws -> T {
        try withConnection { connection in try body(Transaction(connection: connection, logger: logger, location: location)) }
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        try? current?.close().wait()
        current = nil
    }

    /// Runs `body` on the open connection, opening one first when there is none or it was lost.
    private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let connection: PostgresConnection
        if let open = current, !open.isClosed {
            connection = open
        } else {
            current = nil
            if Date() < quietUntil, let lastFailure { throw lastFailure }
            do {
                connection = try PostgresConnection.connect(
                    on: PostgresConnection.defaultEventLoopGroup.next(), configuration: location.connectionConfiguration(),
                    id: 1, logger: logger
                ).wait()
            } catch {
                let failure = LedgerError("cannot connect to the PostgreSQL ledger at \(description)",
                                          cause: PostgresAccessError.wrapping(error, at: location))
                quietUntil = Date().addingTimeInterval(0.5)
                lastFailure = failure
                throw failure
            }
            current = connection
        }
        do {
            return try body(connection)
        } catch {
            // A connection that broke mid-statement is closed; the next call opens a new one.
            if connection.isClosed { current = nil }
            throw error
        }
    }
}
