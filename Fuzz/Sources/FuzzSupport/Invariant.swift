import Foundation
public import SluiceCore
import SluiceExport

/// A broken invariant is a finding like a crash: the message goes to stderr and the process
/// aborts, so libFuzzer saves the input (`crash-...`) and stops.
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        FileHandle.standardError.write(Data("INVARIANT FAILED: \(message())\n".utf8))
        abort()
    }
}

/// libFuzzer hands over a pointer that may be null when the size is 0.
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

public enum Check {
    /// Every mention lies inside `text` and reads exactly as the text does there, in Unicode scalars.
    public static func mentions(_ entities: Entities, in text: String) {
        let scalars = Array(text.unicodeScalars)
        func one(_ kind: String, _ name: String, _ mention: Mention) {
            require(mention.start >= 0 && mention.start <= mention.end && mention.end <= scalars.count,
                    "\(kind) '\(name)': mention \(mention.start)..<\(mention.end) outside the text (\(scalars.count) scalars)")
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[mention.start..<mention.end])
            require(String(view) == mention.text,
                    "\(kind) '\(name)': mention \(mention.start)..<\(mention.end) reads '\(String(view))', not '\(mention.text)'")
        }
        for a in entities.agencies { a.mentions.forEach { one("agency", a.name, $0) } }
        for d in entities.dates { d.mentions.forEach { one("date", d.value, $0) } }
        for p in entities.programs { p.mentions.forEach { one("program", p.name, $0) } }
        for c in entities.counts { c.mentions.forEach { one("count", "\(c.value) \(c.unit)", $0) } }
    }

    /// The record for `document` serializes to JSON that an independent reader (Foundation's)
    /// accepts, that reads back to the same value, and that validates against the record schema.
    public static func record(_ document: ParsedDocument, _ extraction: Extraction, member: String, data: [UInt8]) {
        var record = Record(
            release: "fuzz", member: member, part: document.part, sha256: SHA256.hex(data), bytes: data.count,
            mediaType: document.mediaType.rawValue, encoding: document.encoding, title: document.title,
            text: document.text, extraction: extraction,
            producedBy: [("pipeline", .string("fuzz")), ("sluice", .string("0")), ("text_extractor", .string("0")),
                         ("format_extractor", .string("0"))])
        record.pages = document.pages
        record.ocrPages = document.ocrPages
        json(record.json(), what: "record of \(member)")
        let problems = RecordSchema.validate(record.json())
        require(problems.isEmpty, "record of \(member) does not validate: \(problems.prefix(5).joined(separator: "; "))")
    }

    /// `value` serializes to JSON Foundation can read, and Sluice's own reader reads it back unchanged.
    public static func json(_ value: JSONValue, what: String) {
        let bytes = value.serializedBytes()
        let foundation = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
        require(foundation, "\(what): serialized JSON is not valid JSON: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        do {
            let back = try JSONReader.parse(bytes)
            require(back.serializedBytes() == bytes, "\(what): JSON does not read back to the same value")
        } catch {
            require(false, "\(what): Sluice's reader rejects its own output: \(error.message)")
        }
    }

    /// A failure a reader reports must say what failed: a code and a message.
    public static func error(_ error: SluiceError, what: String) {
        require(!error.message.isEmpty, "\(what): error \(error.code) without a message")
    }
}
