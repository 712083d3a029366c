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
        return "\(year)-\(pad(month))-\(pad(day))"
    }

    /// `YYYY-MM`, or nil when there is no such month.
    public static func month(_ year: Int, _ month: Int) -> String? {
        guard years.contains(year), (1...12).contains(month) else { return nil }
        return "\(year)-\(pad(month))"
    }

    /// `YYYY`, or nil outside `years`.
    public static func year(_ year: Int) -> String? {
        years.contains(year) ? "\(year)" : nil
    }

    /// `FYYYYY` with its first and last days (1 October of the year before to 30 September), or nil.
    public static func fiscalYear(_ year: Int) -> (value: String, start: String, end: String)? {
        guard fiscalYears.contains(year) else { return nil }
        return ("FY\(year)", "\(year - 1)-10-01", "\(year)-09-30")
    }

    /// Days in `month` (1-12) of `year`, leap years included.
    public static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
