public import SluiceCore

/// Limits on what one release may expand to, nested archives included.
public struct UnpackBudgets: Sendable, Equatable {
    /// Uncompressed bytes over the whole release.
    public var maxTotalBytes: Int64 = 4 << 30
    /// Uncompressed bytes for any one member.
    public var maxMemberBytes: Int64 = 256 << 20
    /// Uncompressed / compressed, for any one member.
    public var maxRatio: Double = 200
    /// Entries over the whole release, nested archives included.
    public var maxEntries: Int = 100_000
    /// Archives inside archives.
    public var maxDepth: Int = 4

    public init() {}
}

/// Streams the members of a release.
public struct Unpacker: Sendable {
    public var budgets: UnpackBudgets

    public init(budgets: UnpackBudgets = UnpackBudgets()) {
        self.budgets = budgets
    }

    /// Reads the release file at `path` and reports every entry, in archive order,
    /// through `emit`. `release` is the name records carry. Throws only when the
    /// release as a whole cannot be read.
    public func unpack(path: String, release: String, emit: (UnpackEvent) throws -> Void) throws {
        // PLACEHOLDER: loose files only; the unpack stage replaces this.
        throw SluiceError(.unsupported, "archive reading is not built yet", item: release)
    }
}
