import Foundation

/// libpq's password file: lines of `host:port:database:user:password`, `*` matching anything,
/// `\:` and `\\` escaping, `#` starting a comment; the first matching line wins.
enum PasswordFile {
    static func password(in path: String, host: String, port: Int, database: String, user: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { return nil }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.fields(of: Substring(line))
            guard fields.count == 5 else { continue }
            let matches = zip(fields.prefix(4), wanted).allSatisfy { field, value in
                field == "*" || field == value || (field == "localhost" && value == "127.0.0.1")
            }
            if matches { return fields[4] }
        }
        return nil
    }

    /// Splits a line at unescaped colons, removing the escapes.
    static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
