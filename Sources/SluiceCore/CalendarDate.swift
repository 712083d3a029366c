/// The ISO 8601 forms date values take in records (`2013-08-06`, `2013-08`, `2013`, `FY2013`),
/// made in one place so that every extractor writes only dates that exist: a four-digit year
/// (the record schema's `[0-9]{4}`), a month 1-12 and a day the month has.
public enum CalendarDate {
    /// Years a date value may name. Four digits, and a fiscal year starts the year before, so
    /// fiscal years start one later.
    public static let years = 1000...2999
    public static let fiscalYears = 1001...2999

    /// `YYYY-MM-DD`, or nil when there is no such day.
    public static func day(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard years.contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month, year) else { return nil }
        return text(year, month, day)
    }

    /// `YYYY-MM`, or nil when there is no such month.
    public static func month(_ year: Int, _ month: Int) -> String? {
        guard years.contains(year), (1...12).contains(month) else { return nil }
        return text(year, month, nil)
    }

    /// `YYYY`, or nil outside `years`.
    public static func year(_ year: Int) -> String? {
        years.contains(year) ? text(year, nil, nil) : nil
    }

    /// `FYYYYY` with its first and last days (1 October of the year before to 30 September), or nil.
    public static func fiscalYear(_ year: Int) -> (value: String, start: String, end: String)? {
        guard fiscalYears.contains(year) else { return nil }
        return ("FY" + text(year, nil, nil), text(year - 1, 10, 1), text(year, 9, 30))
    }

    /// Days in `month` (1-12) of `year`, leap years included.
    public static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, written digit by digit (string interpolation took ~1,600 instructions a
    /// date, and a FOIA report set has thousands). The year has four digits and the month and day one or two (the
    /// callers' guards).
    static func text(_ year: Int, _ month: Int?, _ day: Int?) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        func put(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        put(year, digits: 4)
        if let month {
            bytes.append(UInt8(ascii: "-"))
            put(month, digits: 2)
        }
        if let day {
            bytes.append(UInt8(ascii: "-"))
            put(day, digits: 2)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
