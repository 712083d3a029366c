/// Finding a byte pattern in bytes, for the scans that look for a few ASCII markers (a content sniff's
/// tags, an agency name's "(ABBR)"). Not the standard library's `firstRange(of:)`: its generic
/// collection search took 470 M instructions on the benchmark's 1x loose files and 2016 zip, 7% of the
/// run, for a few hundred bytes per document; nor Foundation's `range(of:)`, ~9,000 instructions a call.
public enum ByteSearch {
    /// The first place at or after `from` where `text` holds `pattern`; nil for an empty pattern.
    public static func range(of pattern: [UInt8], in text: [UInt8], from: Int = 0) -> Range<Int>? {
        guard let first = pattern.first, pattern.count <= text.count else { return nil }
        var i = max(from, 0)
        while i + pattern.count <= text.count {
            if text[i] == first, text[i..<(i + pattern.count)].elementsEqual(pattern) { return i..<(i + pattern.count) }
            i += 1
        }
        return nil
    }
}
