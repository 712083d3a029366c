import SluiceCore

/// Finds written calendar dates in a line of text: "August 23, 2004", "Aug. 23, 2004",
/// "Jan. 25, 1974" (day precision) and "August 2004" (month precision), with their
/// Unicode-scalar offsets inside the line.
enum DateScanner {
    struct Found: Equatable {
        var value: String
        var precision: DateEntity.Precision
        /// Scalar offsets inside the scanned text, end exclusive.
        var start: Int
        var end: Int
    }

    private struct Token {
        var text: String
        var start: Int
        var end: Int
        var isNumber: Bool
    }

    static let months: [String: Int] = [
        "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
        "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
        "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
        "Oct": 10, "Nov": 11, "Dec": 12,
    ]

    static func scan(_ text: String) -> [Found] {
        let tokens = tokenize(text)
        var found: [Found] = []
        var i = 0
        while i < tokens.count {
            guard !tokens[i].isNumber, let month = months[tokens[i].text] else { i += 1; continue }
            let isAbbreviation = tokens[i].text.count <= 4 && tokens[i].text != "May" && tokens[i].text != "June"
                && tokens[i].text != "July"
            var j = i + 1
            if j < tokens.count, tokens[j].text == "." { j += 1 }
            // Month Day, Year
            if j < tokens.count, tokens[j].isNumber, tokens[j].text.count <= 2, let day = Int(tokens[j].text),
               (1...31).contains(day) {
                var k = j + 1
                if k < tokens.count, tokens[k].text == "," { k += 1 }
                if k < tokens.count, tokens[k].isNumber, tokens[k].text.count == 4, let year = Int(tokens[k].text),
                   let value = CalendarDate.day(year, month, day) {
                    found.append(Found(value: value, precision: .day, start: tokens[i].start, end: tokens[k].end))
                    i = k + 1
                    continue
                }
            }
            // Month Year (full month names only: "Mar 2004" is too often not a date)
            if !isAbbreviation, j == i + 1, j < tokens.count, tokens[j].isNumber, tokens[j].text.count == 4,
               let year = Int(tokens[j].text), let value = CalendarDate.month(year, month) {
                found.append(Found(value: value, precision: .month, start: tokens[i].start, end: tokens[j].end))
                i = j + 1
                continue
            }
            i += 1
        }
        return found
    }

    /// "11-14-11" or "2–8–24" (FR filing dates, month-day-two-digit-year) -> "2011-11-14".
    static func numericDate(_ text: String) -> String? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "\u{2013}" || $0 == "/" }).compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[0]), (1...31).contains(parts[1]) else { return nil }
        var year = parts[2]
        if (0..<100).contains(year) { year += year < 50 ? 2000 : 1900 }
        return CalendarDate.day(year, parts[0], parts[1])
    }

    private static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var currentStart = 0
        var currentIsNumber = false
        var offset = 0
        func flush() {
            if !current.isEmpty {
                tokens.append(Token(text: current, start: currentStart, end: offset, isNumber: currentIsNumber))
                current = ""
            }
        }
        for scalar in text.unicodeScalars {
            let isDigit = ("0"..."9").contains(scalar)
            let isLetter = scalar.properties.isAlphabetic
            if isDigit || isLetter {
                if !current.isEmpty, currentIsNumber != isDigit { flush() }
                if current.isEmpty { currentStart = offset; currentIsNumber = isDigit }
                current.unicodeScalars.append(scalar)
            } else {
                flush()
                if !scalar.properties.isWhitespace {
                    tokens.append(Token(text: String(scalar), start: offset, end: offset + 1, isNumber: false))
                }
            }
            offset += 1
        }
        flush()
        return tokens
    }
}
