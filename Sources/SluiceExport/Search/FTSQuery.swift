import Foundation

/// Turns what a user types into a safe FTS5 MATCH expression.
///
/// Plain words are terms and quoted text is a phrase; every term and phrase is passed to FTS5
/// as a quoted string, so FTS5 operators and punctuation in user input (`AND`, `-`, `:`, `(`,
/// `^`, `NEAR`) are searched for as words instead of failing as syntax. All terms must match.
/// A word ending in `*` is a prefix search (`immigr*`).
enum FTSQuery {
    /// The MATCH expression, or nil when the input holds no searchable words.
    static func build(_ input: String) throws(ExportError) -> String? {
        var parts: [String] = []
        var word = ""
        var phrase: String?

        func flushWord() {
            defer { word = "" }
            var w = word
            var prefix = false
            while w.hasSuffix("*") {
                w.removeLast()
                prefix = true
            }
            guard hasSearchable(w) else { return }
            parts.append(quoted(w) + (prefix ? " *" : ""))
        }

        // Scalar by scalar, not Character by Character: a quote followed by a combining mark is one
        // Character but still a quote to FTS5, which reads bytes.
        for raw in input.unicodeScalars {
            // Control characters (NUL above all, which ends an SQL string early) separate words.
            let scalar: Unicode.Scalar = raw.properties.generalCategory == .control ? " " : raw
            if var open = phrase {
                if scalar == "\"" {
                    if hasSearchable(open) { parts.append(quoted(open)) }
                    phrase = nil
                } else {
                    open.unicodeScalars.append(scalar)
                    phrase = open
                }
            } else if scalar == "\"" {
                flushWord()
                phrase = ""
            } else if scalar.properties.isWhitespace {
                flushWord()
            } else {
                word.unicodeScalars.append(scalar)
            }
        }
        if phrase != nil {
            throw ExportError(.badQuery, "the query has an opening \" without a closing one; quote whole phrases, like \"Secure Communities\"")
        }
        flushWord()
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// FTS5 string literal: double quotes inside are doubled. Per Unicode scalar, as FTS5 reads
    /// them: `replacingOccurrences` compares Characters and misses a quote carrying a combining mark.
    static func quoted(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in s.unicodeScalars {
            out.append(scalar)
            if scalar == "\"" { out.append("\"") }
        }
        out.append("\"")
        return String(out)
    }

    /// The unicode61 tokenizer drops everything but letters and digits; a term without any
    /// would be an empty phrase, which matches nothing and would silently empty the results.
    static func hasSearchable(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }
}
