import Foundation

/// Where a ledger lives: a SQLite file, or a PostgreSQL database shared by many workers.
///
/// Written as `--ledger URL` or the pipeline's `ledger.url`: `postgres://user@host:port/db`
/// (or `postgresql://`) for PostgreSQL; `sqlite:PATH`, `sqlite://PATH` or a plain path for SQLite.
public enum LedgerLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    /// The URL as given; credentials may be in it, so it is never printed (see `description`).
    case postgres(url: String)

    /// Reads a ledger URL, or says why it is neither form.
    public static func parse(_ text: String) -> Result<LedgerLocation, LedgerError> {
        let trimmed = text.trimmingCharacters(in: [" ", "\t"])
        if trimmed.isEmpty { return .failure(LedgerError("the ledger URL is empty")) }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") { return .success(.postgres(url: trimmed)) }
        if trimmed.hasPrefix("sqlite://") { return sqlite(String(trimmed.dropFirst("sqlite://".count))) }
        if trimmed.hasPrefix("sqlite:") { return sqlite(String(trimmed.dropFirst("sqlite:".count))) }
        if let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].allSatisfy({ $0.isLetter }),
           trimmed[trimmed.index(after: colon)...].hasPrefix("//") {
            return .failure(LedgerError(
                "the ledger URL scheme '\(trimmed[..<colon])' is not known: use postgres://user@host:port/db, sqlite:PATH or a path"))
        }
        return sqlite(trimmed)
    }

    private static func sqlite(_ path: String) -> Result<LedgerLocation, LedgerError> {
        path.isEmpty ? .failure(LedgerError("the SQLite ledger URL names no file")) : .success(.sqlite(path: path))
    }

    /// Whether several processes (on several machines) may share it.
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// For logs and messages: the path, or the PostgreSQL URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): LedgerLocation.redacted(url)
        }
    }

    /// A postgres:// URL with the password (`user:password@`) and any `password=` parameter removed.
    public static func redacted(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                let userInfo = rest[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    text.replaceSubrange(colon..<at, with: "")
                }
            }
        }
        if let query = text.firstIndex(of: "?") {
            let parameters = text[text.index(after: query)...].split(separator: "&").filter {
                !$0.lowercased().hasPrefix("password=")
            }
            text = String(text[..<query]) + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
        }
        return text
    }
}
