import Foundation
import SluiceCore
import SluiceExtract

/// Loads a fixture's text (see Fixtures/SOURCES.md).
func fixture(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures") else {
        throw FixtureMissing(name: name)
    }
    return try String(contentsOf: url, encoding: .utf8)
}

struct FixtureMissing: Error { var name: String }

func document(_ text: String, meta: [String: String] = [:]) -> ParsedDocument {
    ParsedDocument(mediaType: .html, encoding: "UTF-8", title: nil, text: text, meta: meta)
}

/// One extractor for all tests, as the pipeline creates one per run.
let sharedExtractor: TextExtractor? = try? TextExtractor()

func extract(_ text: String, meta: [String: String] = [:]) throws -> Entities {
    guard let extractor = sharedExtractor else { throw FixtureMissing(name: "TextExtractor") }
    return extractor.extract(document(text, meta: meta))
}

/// The text at a mention's offsets, counted in Unicode scalars.
func slice(_ text: String, _ m: Mention) -> String {
    let scalars = Array(text.unicodeScalars)
    guard m.start >= 0, m.end <= scalars.count, m.start < m.end else { return "<out of range>" }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[m.start..<m.end])
    return String(view)
}
