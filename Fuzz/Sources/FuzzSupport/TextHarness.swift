import SluiceCore

/// Text extraction on arbitrary UTF-8 text, as HTML (no fields) would reach it.
public enum TextHarness {
    public static func run(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        let document = ParsedDocument(mediaType: .html, encoding: "UTF-8", title: nil, text: text)
        ParseHarness.extract(document, member: "text.html", data: data)
    }
}
