import Testing
@testable import SluiceCore

/// The one place date values are written (issue #12): only days that exist, four-digit years.
@Suite struct CalendarDateTests {
    @Test func days() {
        #expect(CalendarDate.day(2012, 2, 29) == "2012-02-29")
        #expect(CalendarDate.day(2013, 2, 29) == nil)
        #expect(CalendarDate.day(1900, 2, 29) == nil)
        #expect(CalendarDate.day(2000, 2, 29) == "2000-02-29")
        #expect(CalendarDate.day(2999, 12, 31) == "2999-12-31")
        #expect(CalendarDate.day(1000, 10, 9) == "1000-10-09")
        #expect(CalendarDate.day(999, 1, 1) == nil)
        #expect(CalendarDate.day(2013, 13, 1) == nil)
        #expect(CalendarDate.day(2013, 4, 31) == nil)
        #expect(CalendarDate.day(2013, 4, 0) == nil)
        #expect(CalendarDate.day(Int.max, 1, 1) == nil)
    }

    @Test func monthsYearsAndFiscalYears() {
        #expect(CalendarDate.month(2013, 8) == "2013-08")
        #expect(CalendarDate.month(0, 8) == nil)
        #expect(CalendarDate.year(1000) == "1000")
        #expect(CalendarDate.year(3000) == nil)
        #expect(CalendarDate.fiscalYear(2013)?.value == "FY2013")
        #expect(CalendarDate.fiscalYear(2013)?.start == "2012-10-01")
        #expect(CalendarDate.fiscalYear(1001)?.start == "1000-10-01")
        #expect(CalendarDate.fiscalYear(1000) == nil)
    }
}
