public import Foundation
public import PostgresNIO
import NIOSSL

/// Where a PostgreSQL database is and how to sign in: read from a `postgres://` URL, with
/// whatever the URL leaves out taken from the usual `PG*` environment variables and the
/// password file (`PGPASSFILE` or `~/.pgpass`), as libpq does.
///
/// `description` never includes the password: it is what logs, manifests and errors show.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable {
        /// Plain TCP (libpq's `disable`, `allow`).
        case disable
        /// TLS when the server offers it (libpq's `prefer`, the default there; plain here unless asked).
        case prefer
        /// TLS or no connection (`require`, `verify-ca`, `verify-full`).
        case require
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
                tls: TLSMode = .disable) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// True for the strings that name a PostgreSQL database rather than a file.
    public static func isPostgresURL(_ string: String) -> Bool {
        string.hasPrefix("postgres://") || string.hasPrefix("postgresql://")
    }

    /// Reads `postgres://[user[:password]@][host][:port][/database][?sslmode=...]`.
    /// - Parameters:
    ///   - environment: where `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`,
    ///     `PGSSLMODE` and `PGPASSFILE` come from (the process's, by default).
    ///   - home: the folder holding `.pgpass` when `PGPASSFILE` is not set.
    public init(url string: String,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                home: String = NSHomeDirectory()) throws(PostgresAccessError) {
        guard Self.isPostgresURL(string), let components = URLComponents(string: string) else {
            throw PostgresAccessError(.badURL, "'\(Self.redacting(string))' is not a postgres:// URL")
        }
        let env = { (name: String) -> String? in
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? env("PGHOST") ?? "127.0.0.1"
        let port: Int
        if let urlPort = components.port {
            port = urlPort
        } else if let text = env("PGPORT") {
            guard let value = Int(text), (1...65535).contains(value) else {
                throw PostgresAccessError(.badURL, "PGPORT '\(text)' is not a port number")
            }
            port = value
        } else {
            port = 5432
        }
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? env("PGUSER")
            ?? env("USER") ?? "postgres"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.isEmpty ? (env("PGDATABASE") ?? user) : path
        guard !database.contains("/") else {
            throw PostgresAccessError(.badURL, "'\(Self.redacting(string))' names the database '\(database)'")
        }

        var tls = TLSMode.disable
        let sslmode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? env("PGSSLMODE")
        if let sslmode {
            switch sslmode {
            case "disable", "allow": tls = .disable
            case "prefer": tls = .prefer
            case "require", "verify-ca", "verify-full": tls = .require
            default: throw PostgresAccessError(.badURL, "sslmode '\(sslmode)' is not one of disable, allow, prefer, require")
            }
        }
        for item in components.queryItems ?? [] where item.name != "sslmode" {
            throw PostgresAccessError(.badURL, "'\(item.name)' in '\(Self.redacting(string))' is not a setting Sluice reads")
        }

        var password = components.password.flatMap { $0.isEmpty ? nil : $0 } ?? env("PGPASSWORD")
        if password == nil {
            let file = env("PGPASSFILE") ?? (home as NSString).appendingPathComponent(".pgpass")
            password = PasswordFile.password(in: file, host: host, port: port, database: database, user: user)
        }
        self.init(host: host, port: port, user: user, password: password, database: database, tls: tls)
    }

    /// The URL without its password: safe for logs, manifests and error messages.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// The same server, another database on it.
    public func database(_ name: String) -> PostgresLocation {
        var copy = self
        copy.database = name
        return copy
    }

    /// The client configuration for postgres-nio.
    public func clientConfiguration() -> PostgresClient.Configuration {
        let mode: PostgresClient.Configuration.TLS
        switch tls {
        case .disable: mode = .disable
        case .prefer: mode = .prefer(.makeClientConfiguration())
        case .require: mode = .require(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                            database: database, tls: mode)
    }

    /// A URL string with any password replaced, for messages about a URL that did not parse.
    static func redacting(_ string: String) -> String {
        guard let at = string.lastIndex(of: "@"),
              let scheme = string.range(of: "://"), scheme.upperBound <= at else { return string }
        let credentials = string[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return string }
        return String(string[..<colon]) + ":***" + String(string[at...])
    }
}
