/// One document-sized piece of a release, as the unpack stage hands it on.
///
/// Member names are data, never file-system paths: `path` is the name inside
/// the release (nested archives joined by `!/`) and is only ever used as a key.
public struct Member: Sendable {
    /// The release's path relative to the Inbox.
    public var release: String
    /// The path inside the release; for a loose document, its own file name.
    public var path: String
    /// The member's bytes (already bounded by the unpack budgets).
    public var data: [UInt8]

    public init(release: String, path: String, data: [UInt8]) {
        self.release = release
        self.path = path
        self.data = data
    }
}

/// What unpacking says about one entry of a release.
public enum UnpackEvent: Sendable {
    /// A document to parse.
    case document(Member)
    /// An entry deliberately not processed (resource fork, unsupported type, link...).
    case skipped(path: String, reason: SluiceError)
    /// An entry that could not be read (bomb, corrupt, encrypted...).
    case failed(path: String, error: SluiceError)
}

extension String {
    /// The text with control characters (C0, DEL, C1) written as `\u{XX}`: safe to
    /// store in the ledger and print on a terminal, and still unique per name.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) || $0 == "\\" }) else {
            return self
        }
        var out = ""
        for scalar in unicodeScalars {
            if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else if scalar == "\\" {
                out += "\\\\"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
