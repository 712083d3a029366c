internal import GRDB

/// The embedded backend: a SQLite file (GRDB), by default in the Outbox.
final class SQLiteLedgerDatabase: LedgerDatabase {
    private let queue: DatabaseQueue
    let path: String
    var dialect: LedgerDialect { .sqlite }
    var description: String { path }

    init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
    }

    private struct Transaction: LedgerTransaction {
        let db: Database

        func execute(_ sql: String, _ arguments: [LedgerValue]) throws -> Int {
            try db.cachedStatement(sql: sql).execute(arguments: Transaction.arguments(arguments))
            return db.changesCount
        }

        func query(_ sql: String, _ arguments: [LedgerValue]) throws -> [LedgerRow] {
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: Transaction.arguments(arguments)).map { row in
                var values: [String: LedgerValue] = [:]
                for (column, value) in row {
                    switch value.storage {
                    case .null: values[column] = .null
                    case .int64(let i): values[column] = .int(Int(i))
                    case .double(let d): values[column] = d.isFinite && abs(d) < 9e18 ? .int(Int(d)) : .null
                    case .string(let s): values[column] = .text(s)
                    case .blob: values[column] = .null
                    }
                }
                return LedgerRow(values)
            }
        }

        static func arguments(_ values: [LedgerValue]) -> StatementArguments {
            StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .null: nil
                case .int(let i): i
                case .text(let s): s
                }
            })
        }
    }

    func transaction<T>(_ body: (any LedgerTransaction) throws -> T) throws -> T {
        try queue.write { db in try body(Transaction(db: db)) }
    }

    func executeAlone(_ sql: String, _ arguments: [LedgerValue]) throws -> Int {
        try transaction { tx in try tx.execute(sql, arguments) }
    }

    func read<T>(_ body: (any LedgerTransaction) throws -> T) throws -> T {
        try queue.read { db in try body(Transaction(db: db)) }
    }

    func close() {}
}
