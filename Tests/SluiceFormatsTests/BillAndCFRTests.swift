import Foundation
import SluiceCore
import SluiceFormats
import SluiceTestSupport
import Testing

/// BILLSTATUS (legacy and current), GovTrack bills and CFR parts.
@Suite struct BillAndCFRTests {
    @Test func legacyBillStatusCommitteesActionsAndCBO() throws {
        let extraction = try TestSupport.extractFixture("BILLSTATUS-114hr3106.xml")
        #expect(TestSupport.property(extraction, "bill") == .string("H.R. 3106"))
        #expect(TestSupport.property(extraction, "congress") == .string("114"))
        #expect(TestSupport.property(extraction, "title") == .string("Construction Reform Act of 2015"))
        let committee = extraction.entities.agencies.first
        #expect(committee == AgencyEntity(name: "House Veterans' Affairs Committee", parent: "U.S. House of Representatives", source: .format))
        #expect(extraction.entities.agencies.contains(AgencyEntity(name: "House Health Subcommittee", parent: "House Veterans' Affairs Committee", source: .format)))
        let dates = Set(extraction.entities.dates.map(\.value))
        #expect(dates.isSuperset(of: ["2015-12-03", "2015-09-17", "2015-07-22", "2015-07-17", "2015-07-16", "2015-07-14"]))
        guard case let .array(actions) = TestSupport.property(extraction, "actions") else {
            Issue.record("no actions"); return
        }
        #expect(actions.count == 12)
        #expect(actions.first?["date"] == .string("2015-12-03"))
        #expect(actions.first?["text"] == .string("Placed on the Union Calendar, Calendar No. 277."))
        #expect(TestSupport.property(extraction, "cbo_cost_estimates") == .array([.object([
            ("title", .string("H.R. 3106, Construction Reform Act of 2015")), ("date", .string("2015-10-23")),
            ("url", .string("https://www.cbo.gov/publication/50928")),
        ])]))
    }

    @Test func currentBillStatusFormat() throws {
        let extraction = try TestSupport.extractFixture("congress-xml/billstatus/current-format-BILLSTATUS-117s35.xml")
        #expect(TestSupport.property(extraction, "bill") == .string("S. 35"))
        #expect(TestSupport.property(extraction, "introduced_date") == .string("2021-01-22"))
        #expect(extraction.entities.agencies.first
            == AgencyEntity(name: "Senate Banking, Housing, and Urban Affairs Committee", parent: "U.S. Senate", source: .format))
        guard case let .array(sponsors) = TestSupport.property(extraction, "sponsors") else {
            Issue.record("no sponsors"); return
        }
        #expect(sponsors.first?["bioguide_id"] == .string("V000128"))
        #expect(sponsors.first?["party"] == .string("D"))
        #expect(Set(extraction.entities.dates.map(\.value)).isSuperset(of: ["2021-01-22", "2021-02-12", "2021-02-18"]))
    }

    @Test func govTrackBill() throws {
        let extraction = try TestSupport.extractFixture("congress-xml/govtrack/hr1954-112.xml")
        #expect(TestSupport.property(extraction, "bill") == .string("H.R. 1954"))
        #expect(TestSupport.property(extraction, "congress") == .string("112"))
        #expect(extraction.entities.agencies == [
            AgencyEntity(name: "House Committee on Ways and Means", parent: "U.S. House of Representatives", source: .format),
        ])
        // Attribute dates are properties; date entities come from the text.
        #expect(extraction.entities.dates.isEmpty)
        #expect(TestSupport.property(extraction, "introduced_date") == .string("2011-05-24"))
    }

    @Test func annualCFRPartAgencyAuthorityAndSource() throws {
        let extraction = try TestSupport.extractFixture("CFR-2003-title27-vol2-part447.xml")
        #expect(extraction.entities.agencies == [
            AgencyEntity(name: "Bureau of Alcohol, Tobacco, Firearms, and Explosives", parent: "Department of Justice", source: .format),
        ])
        #expect(TestSupport.property(extraction, "cfr_citation") == .string("27 CFR 447"))
        #expect(TestSupport.property(extraction, "part_heading") == .string("Importation of Arms, Ammunition and Implements of War"))
        #expect(TestSupport.property(extraction, "authority") == .string("22 U.S.C. 2778."))
        let dates = extraction.entities.dates.map(\.value)
        #expect(dates == ["2003-04-01", "1974-01-25", "2003-01-24"])
    }

    /// CFR-2018-title11 holds <HEADING>, which the content sniffer once took for HTML's <head>.
    @Test func annualCFRWithHeadingElement() throws {
        let extraction = try TestSupport.extractFixture("cfr-xml/annual/CFR-2018-title11-vol1-part2.xml")
        #expect(extraction.entities.agencies == [AgencyEntity(name: "Federal Election Commission", source: .format)])
        #expect(TestSupport.property(extraction, "cfr_citation") == .string("11 CFR 2"))
        #expect(extraction.entities.dates.map(\.value) == ["2018-01-01", "1985-10-01"])
    }

    /// The parser splits an eCFR title into one document per part, each carrying its chapter's heading.
    @Test func ecfrTitleSplitIntoPartsEachWithItsAgency() throws {
        let parts = try TestSupport.parse(try Fixtures.bytes("cfr-xml/ecfr/ECFR-title1.xml"), path: "ECFR-title1.xml")
        #expect(parts.count == 36)
        let extractions = try parts.map { try #require(FormatExtractor().extract($0)) }
        #expect(extractions.allSatisfy { TestSupport.property($0, "agency") != nil })
        #expect(!extractions.contains { $0.entities.agencies.contains { $0.name.hasPrefix("Miscellaneous") } })

        let index = try #require(parts.firstIndex { $0.part == "part-2" })
        let extraction = extractions[index]
        #expect(TestSupport.property(extraction, "part") == .string("2"))
        #expect(TestSupport.property(extraction, "part_heading") == .string("General Information"))
        #expect(TestSupport.property(extraction, "agency") == .string("Administrative Committee of the Federal Register"))
        #expect(TestSupport.property(extraction, "authority")?.stringValue?.hasPrefix("44 U.S.C. 1506, 4101") == true)
        #expect(extraction.entities.dates.map(\.value) == ["1972-11-04"])
    }

    @Test func unknownRootsGiveNil() throws {
        let xml = "<rss><channel><title>News</title></channel></rss>"
        let document = try #require(try TestSupport.parse(Array(xml.utf8), path: "feed.xml").first)
        #expect(FormatExtractor().extract(document) == nil)
    }
}
