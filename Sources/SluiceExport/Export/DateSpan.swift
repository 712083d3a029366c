/// The calendar days a record's date covers, as ISO `YYYY-MM-DD` strings: a day is itself,
/// a month or year runs from its first to its last day, and a US federal fiscal year N runs
/// from October 1 of N-1 to September 30 of N (or the record's own `start`/`end`).
///
/// ISO day strings compare correctly as text, which is what the SQLite index and the
/// `--from`/`--to` filter rely on.
public struct DateSpan: Sendable, Equatable {
    public var start: String
    public var end: String

    public init(start: String, end: String) {
        self.start = start
        self.end = end
    }

    /// The span of a date entity's `value` (with its `precision`, `start` and `end` when given).
    /// Nil for a value that is not a date in one of the record forms.
    public static func of(value: String, precision: String? = nil, start: String? = nil, end: String? = nil) -> DateSpan? {
        if let start, let end, isDay(start), isDay(end) { return DateSpan(start: start, end: end) }
        if value.hasPrefix("FY") || precision == "fiscal-year" {
            let digits = value.hasPrefix("FY") ? String(value.dropFirst(2)) : value
            guard digits.count == 4, let year = Int(digits) else { return nil }
            return DateSpan(start: "\(pad(year - 1, 4))-10-01", end: "\(pad(year, 4))-09-30")
        }
        return parse(value)
    }

    /// The span of a user's `--from`/`--to` argument: `2010`, `2010-06`, `2010-06-15` or `FY2010`.
    public static func parse(_ text: String) -> DateSpan? {
        if text.hasPrefix("FY") || text.hasPrefix("fy") {
            return of(value: "FY" + text.dropFirst(2), precision: "fiscal-year")
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]) else { return nil }
        if parts.count == 1 { return DateSpan(start: "\(pad(year, 4))-01-01", end: "\(pad(year, 4))-12-31") }
        guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        let last = daysIn(month: month, year: year)
        let ym = "\(pad(year, 4))-\(pad(month, 2))"
        if parts.count == 2 { return DateSpan(start: "\(ym)-01", end: "\(ym)-\(pad(last, 2))") }
        guard parts[2].count == 2, let day = Int(parts[2]), (1...last).contains(day) else { return nil }
        return DateSpan(start: "\(ym)-\(pad(day, 2))", end: "\(ym)-\(pad(day, 2))")
    }

    /// True when the two spans share at least one day.
    public func overlaps(_ other: DateSpan) -> Bool { start <= other.end && other.start <= end }

    static func isDay(_ s: String) -> Bool {
        guard let span = parse(s) else { return false }
        return span.start == span.end
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
