public import SluiceCore

/// Limits that keep hostile documents from exhausting the machine.
public struct ParseLimits: Sendable, Equatable {
    /// Bytes of input per document.
    public var maxDocumentBytes: Int = 256 << 20
    /// Characters of text kept per document.
    public var maxTextCharacters: Int = 20_000_000
    /// Element nesting.
    public var maxDepth: Int = 256

    public init() {}
}

/// Turns a member's bytes into one or more parsed documents.
public struct Parser: Sendable {
    public var limits: ParseLimits

    public init(limits: ParseLimits = ParseLimits()) {
        self.limits = limits
    }

    /// Parses one member. Throws `SluiceError` when the document must fail.
    public func parse(_ member: Member) throws -> [ParsedDocument] {
        throw SluiceError(.unsupported, "PLACEHOLDER", item: member.path)
    }
}
