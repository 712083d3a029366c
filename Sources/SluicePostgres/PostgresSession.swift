public import Logging
public import PostgresNIO
import NIOSSL

/// Opening PostgreSQL for one piece of work: a pooled client kept running for the length of a
/// closure, or one plain connection. Both turn postgres-nio's errors (whose descriptions hide
/// the server's message on purpose) into `PostgresAccessError`s that say what the server said.
public enum PostgresSession {
    /// Runs `body` with a connection pool to `location`, then shuts the pool down.
    public static func withClient<T: Sendable>(
        _ location: PostgresLocation, logger: Logger, maximumConnections: Int = 4,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        var configuration = location.clientConfiguration()
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            do {
                return try await body(client)
            } catch {
                throw PostgresAccessError.wrapping(error, at: location)
            }
        }
    }

    /// Runs `body` with one connection to `location`, then closes it.
    public static func withConnection<T: Sendable>(
        _ location: PostgresLocation, logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection: PostgresConnection
        do {
            let configuration = try location.connectionConfiguration()
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw PostgresAccessError.wrapping(error, at: location)
        }
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw PostgresAccessError.wrapping(error, at: location)
        }
    }
}

extension PostgresLocation {
    /// The single-connection configuration for postgres-nio.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS
        switch tls {
        case .disable: mode = .disable
        case .prefer: mode = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: mode = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: mode)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }
}

extension PostgresAccessError {
    /// `error` as a `PostgresAccessError` naming the server (never its password): a failure to connect
    /// is `.unavailable`, a statement the server refused is `.statement` with the server's words.
    public static func wrapping(_ error: any Error, at location: PostgresLocation) -> PostgresAccessError {
        if let known = error as? PostgresAccessError { return known }
        guard let psql = error as? PSQLError else {
            return PostgresAccessError(.unavailable, "PostgreSQL at \(location): \(error)", cause: error)
        }
        if let info = psql.serverInfo, let message = info[.message] {
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let code: Code = (info[.sqlState]?.hasPrefix("08") == true || info[.sqlState] == "57P01"
                || info[.sqlState]?.hasPrefix("28") == true || info[.sqlState] == "3D000") ? .unavailable : .statement
            return PostgresAccessError(code, "PostgreSQL at \(location): \(message)\(state)", cause: error)
        }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed,
             .sslUnsupported:
            let underlying = psql.underlying.map { ": \($0)" } ?? ""
            return PostgresAccessError(.unavailable, "cannot reach PostgreSQL at \(location) (\(psql.code))\(underlying)",
                                 cause: error)
        default:
            return PostgresAccessError(.statement, "PostgreSQL at \(location): \(psql.code)", cause: error)
        }
    }
}
