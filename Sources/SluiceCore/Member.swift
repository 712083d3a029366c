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
