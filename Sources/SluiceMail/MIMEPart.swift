import SluiceCore

/// One part of an RFC 5322 / MIME message (the message itself is the root part):
/// its headers, and either its body or, for `multipart/*`, its parts.
///
/// Read from bytes without trusting them: header and part counts and nesting
/// depth are bounded (`MIMELimits`), and a malformed structure gives what can be
/// read rather than a failure (as mail readers do), except past the limits.
public struct MIMEPart: Sendable {
    /// Header fields in order, names as written, values unfolded (not decoded).
    public var headers: [(name: String, value: String)]
    /// The raw body: for a multipart, the bytes its parts were read from.
    public var body: ArraySlice<UInt8>
    /// The parts of a `multipart/*` (empty for a leaf).
    public var parts: [MIMEPart]

    /// The first header with this name (any case), unfolded.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// `type/subtype`, lower-cased; `text/plain` when absent (RFC 2045).
    public var contentType: String {
        guard let value = header("Content-Type") else { return "text/plain" }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let trimmed = type.trimmingSpaces().lowercased()
        return trimmed.isEmpty ? "text/plain" : trimmed
    }

    /// A parameter of Content-Type (`charset`, `boundary`, `name`), unquoted.
    public func contentTypeParameter(_ key: String) -> String? {
        header("Content-Type").flatMap { MIMEPart.parameter(key, in: $0) }
    }

    /// The file name an attachment gives (Content-Disposition `filename`, else Content-Type `name`).
    public var filename: String? {
        let raw = header("Content-Disposition").flatMap { MIMEPart.parameter("filename", in: $0) }
            ?? contentTypeParameter("name")
        return raw.map { EncodedWords.decode($0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the part is an attachment rather than the message's own text.
    public var isAttachment: Bool {
        if let disposition = header("Content-Disposition")?.lowercased(), disposition.hasPrefix("attachment") { return true }
        if filename != nil { return true }
        let type = contentType
        return !(type.hasPrefix("text/") || type.hasPrefix("multipart/") || type == "message/rfc822")
    }

    /// The body with its Content-Transfer-Encoding (base64, quoted-printable) undone.
    public var decodedBody: [UInt8] {
        switch header("Content-Transfer-Encoding")?.trimmingSpaces().lowercased() {
        case "base64": return TransferEncoding.base64(body)
        case "quoted-printable": return TransferEncoding.quotedPrintable(body)
        default: return Array(body)
        }
    }

    /// Every leaf part, depth first, in message order.
    public var leaves: [MIMEPart] {
        parts.isEmpty ? [self] : parts.flatMap(\.leaves)
    }

    static func parameter(_ key: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingSpaces().lowercased()
            guard name == key || name == key + "*" else { continue }
            var result = piece[piece.index(after: equals)...].trimmingSpaces()
            if result.count >= 2, result.hasPrefix("\""), result.hasSuffix("\"") { result = String(result.dropFirst().dropLast()) }
            if name.hasSuffix("*"), let quote = result.firstIndex(of: "'"),
               let second = result[result.index(after: quote)...].firstIndex(of: "'") {
                // RFC 2231: charset'language'percent-encoded
                result = TransferEncoding.percentDecoded(String(result[result.index(after: second)...]))
            }
            return result
        }
        return nil
    }
}

/// Bounds on what a message may hold.
public struct MIMELimits: Sendable, Equatable {
    /// Nesting of multiparts inside multiparts.
    public var maxDepth = 8
    /// Parts in the whole message (attachments and alternatives).
    public var maxParts = 1000
    /// Header lines per part.
    public var maxHeaders = 1000

    public init() {}
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
