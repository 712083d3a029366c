import Foundation
import SluiceCore
import SluiceParse

/// Parses bytes as a loose member named `name`.
func parse(_ bytes: [UInt8], name: String, limits: ParseLimits = ParseLimits()) throws -> [ParsedDocument] {
    try Parser(limits: limits).parse(Member(release: name, path: name, data: bytes))
}

/// Parses a string as UTF-8 bytes.
func parse(xml: String, name: String = "inline.xml", limits: ParseLimits = ParseLimits()) throws -> [ParsedDocument] {
    try parse(Array(xml.utf8), name: name, limits: limits)
}

/// The SluiceError a parse throws, or nil when it succeeds.
func parseError(_ bytes: [UInt8], name: String, limits: ParseLimits = ParseLimits()) -> SluiceError? {
    do {
        _ = try parse(bytes, name: name, limits: limits)
        return nil
    } catch let error as SluiceError {
        return error
    } catch {
        return SluiceError(.internal, "\(error)")
    }
}

extension String {
    /// No U+0000, no C1 control, no U+FFFD: what every record's text must satisfy.
    var isCleanText: Bool {
        !unicodeScalars.contains { $0.value == 0 || (0x80...0x9F).contains($0.value) || $0.value == 0xFFFD }
    }
}
