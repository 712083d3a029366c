import Foundation
import SluiceCore
import SluiceFormats
import Testing

/// FOIA annual report facts, checked against the gold files of corpus/gold-foia.
@Suite struct FOIAReportTests {
    /// (fixture, its gold file): a 1.02 report with components, a UTF-8 BOM file, the ISO-8859-1
    /// NASA file, and a FOIA.gov re-export with empty and missing organization references.
    static let reports: [(String, String)] = [
        ("DHS_2008.xml", "2008__DHS_2008.xml.json"),
        ("foia-annual-xml/agency-submissions/2010/CPSC_FY_10_Final.xml", "2010__CPSC_FY_10_Final.xml.json"),
        ("foia-annual-xml/agency-submissions/2010/NASA_FY10_Final.xml", "2010__NASA_FY10_Final.xml.json"),
        ("flra-2012.xml", "flra-2012.xml.json"),
    ]

    @Test(arguments: reports)
    func factsEqualTheGoldFile(fixture: String, gold: String) throws {
        let extraction = try TestSupport.extractFixture(fixture)
        let goldJSON = try JSONSerialization.jsonObject(with: Data(try TestSupport.fixture(gold))) as? [String: Any]
        let goldFacts = try #require(goldJSON?["facts"] as? [[String: Any]])
        let fiscalYear = try #require(goldJSON?["fiscal_year"] as? String)
        func key(_ measure: String, _ component: String?, _ value: Double) -> String {
            "\(measure)|\(component?.uppercased() ?? "-")|\(value)"
        }
        let expected = goldFacts.compactMap { fact -> String? in
            guard let measure = fact["measure"] as? String, let value = (fact["value"] as? NSNumber)?.doubleValue
            else { return nil }
            return key(measure, fact["component"] as? String, value)
        }.sorted()
        let actual = TestSupport.facts(extraction).map { key($0.measure, $0.component, $0.value) }.sorted()
        #expect(actual == expected)
        #expect(TestSupport.property(extraction, "fiscal_year") == .string(fiscalYear))
        let agency = try #require(goldJSON?["agency"] as? String)
        for count in extraction.entities.counts {
            #expect(count.context?.first(where: { $0.0 == "agency" })?.1 == .string(agency))
            #expect(count.context?.first(where: { $0.0 == "fiscal_year" })?.1 == .string(fiscalYear))
        }
    }

    /// Exact values from 2008__DHS_2008.xml.json, agency overall and components.
    @Test(arguments: [
        ("requests_received", nil, 108952.0), ("requests_received", "ICE", 4224),
        ("requests_received", "I&A", 44), ("foia_staff_total", nil, 318.61),
        ("fees_collected", nil, 311826.4), ("fees_collected", "ICE", 1071.5), ("foia_staff_total", "OIG", 4),
    ] as [(String, String?, Double)])
    func dhs2008Values(measure: String, component: String?, value: Double) throws {
        let facts = TestSupport.facts(try TestSupport.extractFixture("DHS_2008.xml"))
        let hits = facts.filter { $0.measure == measure && $0.component == component }
        #expect(hits.map(\.value) == [value])
    }

    @Test func agenciesAndFiscalYear() throws {
        let extraction = try TestSupport.extractFixture("DHS_2008.xml")
        let agencies = extraction.entities.agencies
        #expect(agencies.first == AgencyEntity(name: "Department of Homeland Security", acronym: "DHS", source: .format))
        let ice = agencies.first { $0.acronym == "ICE" }
        #expect(ice?.name == "Immigration and Customs Enforcement")
        #expect(ice?.parent == "Department of Homeland Security")
        #expect(agencies.first { $0.acronym == "CBP" }?.name == "U.S. Customs and Border Protection")
        #expect(agencies.first { $0.acronym == "CRCL" }?.name == "Office of Civil Rights and Civil Liberties")
        #expect(agencies.count == 20)
        #expect(extraction.entities.dates == [
            DateEntity(value: "FY2008", precision: .fiscalYear, start: "2007-10-01", end: "2008-09-30", source: .format),
        ])
        #expect(TestSupport.property(extraction, "format") == .string("foia-annual-report"))
        #expect(TestSupport.property(extraction, "schema_version") == .string("1.02"))
    }

    @Test func isoLatin1NASANamesLoseTheirContactDetails() throws {
        let extraction = try TestSupport.extractFixture("foia-annual-xml/agency-submissions/2010/NASA_FY10_Final.xml")
        let agencies = extraction.entities.agencies
        #expect(agencies.first?.name == "National Aeronautics and Space Administration")
        #expect(agencies.first { $0.acronym == "ARC" }?.name == "Ames Research Center")
        #expect(TestSupport.property(extraction, "schema_version") == .string("1.02"))
    }

    @Test func danglingReferencesAreNotTheAgencyOverall() throws {
        // flra-2012 PS6/PS8 have s:ref="" and BK6/BK8 no reference: their values (4 and 3
        // requests received) must appear nowhere, least of all as the agency overall.
        let facts = TestSupport.facts(try TestSupport.extractFixture("flra-2012.xml"))
        let overall = facts.filter { $0.measure == "requests_received" && $0.component == nil }
        #expect(overall.map(\.value) == [64])
        // Every measure has one agency-overall value however many blocks lost their reference.
        for measure in ["requests_backlogged", "foia_costs_total", "fees_collected"] {
            #expect(facts.filter { $0.measure == measure && $0.component == nil }.count == 1)
        }
    }

    @Test func otherDocumentsAreNotFOIAReports() throws {
        let document = ParsedDocument(
            mediaType: .xml, encoding: "UTF-8", title: nil, text: "",
            root: XMLName(namespace: "http://example.org/FoiaAnnualReport", local: "FoiaAnnualReport"),
            fields: [XMLField(name: XMLName(namespace: "http://example.org/FoiaAnnualReport", local: "FoiaAnnualReport"), depth: 0)])
        #expect(FormatExtractor().extract(document) == nil)
    }
}

/// The pipeline calls one FormatExtractor from several threads at once.
@Suite struct ConcurrencyTests {
    @Test func concurrentExtractionsAgree() async throws {
        let documents = try TestSupport.parse(try TestSupport.fixture("DHS_2008.xml"), path: "DHS_2008.xml")
        let document = try #require(documents.first)
        let extractor = FormatExtractor()
        let expected = extractor.extract(document)?.entities.json().serialized()
        let results = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { extractor.extract(document)?.entities.json().serialized() } }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(expected != nil)
        #expect(results.count == 8 && results.allSatisfy { $0 == expected })
    }
}
