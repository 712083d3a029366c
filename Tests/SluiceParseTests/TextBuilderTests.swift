import SluiceCore
import Foundation
import Testing

@testable import SluiceParse

@Suite("Whitespace collapsing into the text buffer")
struct TextBuilderTests {
    /// The rule, written plainly: white space (and no-break space) runs become one
    /// space, none at the start; C0 controls vanish; C1 controls map to Windows-1252.
    static func reference(_ s: String) -> String {
        var out = ""
        var pending = false
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B, 0xA0:
                pending = !out.isEmpty
            case 0x00...0x1F, 0x7F:
                continue
            case 0x80...0x9F:
                guard let mapped = CP1252.scalar(forHighByte: UInt8(scalar.value)) else { continue }
                if pending { out.append(" ") }
                pending = false
                out.unicodeScalars.append(mapped)
            default:
                if pending { out.append(" ") }
                pending = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    @Test("random mixes of words, white space, NBSP, controls, C1 and multibyte text match the plain rule")
    func matchesReference() {
        let pieces = [
            "a", "word", "longerwordthaneightbytes", " ", "  ", "\t", "\n", "\r\n", "\u{A0}", "\u{96}", "\u{81}", "\u{1}",
            "\u{7F}", "\u{E9}", "\u{20AC}", "\u{6771}\u{4EAC}", "\u{A9}", "\u{C2}", "x.", "12,000",
            "a b", "ab cd", "abcdef g", " x y z ", "one two three four",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<40, using: &generator)
            let chosen = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }
            let input = chosen.joined()
            var builder = TextBuilder(limit: Int.max, reserve: 8)
            var copy = input
            copy.withUTF8 { if let base = $0.baseAddress { builder.append(base, count: $0.count) } }
            // The same text in one call per piece: pending white space and the line start carry across calls.
            var pieceByPiece = TextBuilder(limit: Int.max, reserve: 8)
            for piece in chosen { pieceByPiece.append(piece) }
            let expected = Self.reference(input)
            // The builder keeps a trailing space pending rather than writing it.
            #expect(builder.finish() == expected.trimmingCharacters(in: .init(charactersIn: " ")), "input: \(input.debugDescription)")
            #expect(pieceByPiece.finish() == builder.finish(), "pieces: \(chosen.debugDescription)")
        }
    }

    @Test("pieces appended separately collapse across the boundary; lines break cleanly")
    func acrossCalls() {
        var builder = TextBuilder(limit: Int.max)
        builder.append("Hello ")
        builder.append("  world")
        builder.breakLine()
        builder.breakLine()
        builder.append("  next\u{A0}line ")
        #expect(builder.finish() == "Hello world\nnext line")
    }

    @Test("a copy that grows or resets leaves the other copy's text intact (copy on write)")
    func copiesDoNotShareMutations() {
        var original = TextBuilder(limit: Int.max, reserve: 64)
        original.append("Office of Information Policy")
        let snapshot = original
        // Grow far past the first block: the old storage would be freed under the copy.
        for _ in 0..<200 { original.append(" Department of Justice") }
        #expect(snapshot.finish() == "Office of Information Policy")
        var second = snapshot
        second.reset()
        second.append("Overwritten")
        #expect(snapshot.finish() == "Office of Information Policy")
        #expect(second.finish() == "Overwritten")
        #expect(original.finish().hasPrefix("Office of Information Policy Department of Justice"))
    }
}
