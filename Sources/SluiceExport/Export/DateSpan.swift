import SluiceCore

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
            let digits = value.hasPrefix("FY") ? value.dropFirst(2) : value[...]
            guard let year = number(digits, length: 4), let fiscal = CalendarDate.fiscalYear(year) else { return nil }
            return DateSpan(start: fiscal.start, end: fiscal.end)
        }
        return parse(value)
    }

    /// The span of a user's `--from`/`--to` argument: `2010`, `2010-06`, `2010-06-15` or `FY2010`.
    /// Dates are written by `CalendarDate`, so a span's ends are always days that exist (years
    /// 1000-2999, digits only: `+123` is no year).
    public static func parse(_ text: String) -> DateSpan? {
        if text.hasPrefix("FY") || text.hasPrefix("fy") {
            return of(value: "FY" + text.dropFirst(2), precision: "fiscal-year")
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), let year = number(parts[0], length: 4) else { return nil }
        if parts.count == 1 {
            guard let first = CalendarDate.day(year, 1, 1), let last = CalendarDate.day(year, 12, 31) else { return nil }
            return DateSpan(start: first, end: last)
        }
        guard let month = number(parts[1], length: 2) else { return nil }
        if parts.count == 2 {
            guard let first = CalendarDate.day(year, month, 1),
                  let last = CalendarDate.day(year, month, CalendarDate.daysIn(month, year)) else { return nil }
            return DateSpan(start: first, end: last)
        }
        guard let day = number(parts[2], length: 2), let only = CalendarDate.day(year, month, day) else { return nil }
        return DateSpan(start: only, end: only)
    }

    /// `text` as a number when it is exactly `length` ASCII digits.
    private static func number<S: StringProtocol>(_ text: S, length: Int) -> Int? {
        guard text.utf8.count == length, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    /// True when the two spans share at least one day.
    public func overlaps(_ other: DateSpan) -> Bool { start <= other.end && other.start <= end }

    static func isDay(_ s: String) -> Bool {
        guard let span = parse(s) else { return false }
        return span.start == span.end
    }
}
