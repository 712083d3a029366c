import Logging
import PostgresNIO

/// One connection to the search database and the few ways the target uses it: a statement whose
/// rows do not matter, rows decoded, and a transaction that rolls back when its body throws.
/// Every value goes to the server as a bound parameter; SQL text is only ever Sluice's own.
struct PostgresLink {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and drains its rows.
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws {
        for try await _ in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {}
    }

    /// Runs a query and decodes every row as `type`.
    func rows<each Column: PostgresDecodable & Sendable>(
        _ sql: String, _ binds: PostgresBindings = PostgresBindings(), as type: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        var out: [(repeat each Column)] = []
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await row in rows.decode(type) { out.append(row) }
        return out
    }

    /// The one integer a query returns (`count(*)` and the like), 0 when it returns no row.
    func integer(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws -> Int {
        var out: [Int] = []
        for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            .decode(Int.self) { out.append(value) }
        return out.first ?? 0
    }

    /// The first column of every row, as text.
    func strings(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws -> [String] {
        var out: [String] = []
        for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            .decode(String.self) { out.append(value) }
        return out
    }

    /// Runs `body` between `BEGIN` and `COMMIT`; `ROLLBACK` when it throws.
    func transaction<T>(_ body: () async throws -> T) async throws -> T {
        try await execute("BEGIN")
        do {
            let result = try await body()
            try await execute("COMMIT")
            return result
        } catch {
            try? await execute("ROLLBACK")
            throw error
        }
    }
}

extension PostgresBindings {
    /// Bindings from a list of text values (nil binds SQL NULL).
    static func texts(_ values: String?...) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            if let value { binds.append(value) } else { binds.appendNull() }
        }
        return binds
    }
}
