import SluiceCore
import SluiceFormats
import Testing

/// Federal Register single documents.
@Suite struct FederalRegisterTests {
    @Test func ruleAgencyNumberActionPartsRinAndEffectiveDate() throws {
        let extraction = try TestSupport.extractFixture("2014-06778.xml")
        let property = { TestSupport.property(extraction, $0) }
        #expect(property("format") == .string("federal-register"))
        #expect(property("document_type") == .string("rule"))
        #expect(property("fr_document_number") == .string("2014-06778"))
        #expect(property("agency") == .string("Department of Justice"))
        #expect(property("sub_agency") == .string("Bureau of Alcohol, Tobacco, Firearms, and Explosives"))
        #expect(property("action") == .string("Interim final rule with request for comments"))
        #expect(property("cfr_parts") == .array([.string("27 CFR 447")]))
        #expect(property("rin") == .string("1140-AA45"))
        #expect(property("effective_date") == .string("2014-04-28"))
        #expect(property("comments_due") == .string("2014-06-25"))
        #expect(property("filed_date") == .string("2014-03-26"))
        let agencies = extraction.entities.agencies
        #expect(agencies.map(\.name) == ["Department of Justice", "Bureau of Alcohol, Tobacco, Firearms, and Explosives"])
        #expect(agencies.last?.parent == "Department of Justice")
        let dates = extraction.entities.dates.map(\.value)
        #expect(dates.contains("2014-04-28") && dates.contains("2014-06-25"))
    }

    @Test func mentionsPointIntoTheDocumentText() throws {
        let documents = try TestSupport.parse(try TestSupport.fixture("2014-06778.xml"), path: "2014-06778.xml")
        let document = try #require(documents.first)
        let extraction = try #require(FormatExtractor().extract(document))
        let scalars = Array(document.text.unicodeScalars)
        let mentions = extraction.entities.agencies.flatMap(\.mentions) + extraction.entities.dates.flatMap(\.mentions)
        #expect(mentions.count >= 4)
        for mention in mentions {
            #expect(String(String.UnicodeScalarView(scalars[mention.start..<mention.end])) == mention.text)
        }
    }

    /// 04-16753 has no FRDOC: the effective date sits after an inline "Effective Date:" label and
    /// the CFR line names two parts.
    @Test func multiplePartsAndALabelledEffectiveDate() throws {
        let extraction = try TestSupport.extractFixture("federal-register-xml/documents/04-16753.xml")
        #expect(TestSupport.property(extraction, "cfr_parts") == .array([.string("37 CFR 1"), .string("37 CFR 2")]))
        #expect(TestSupport.property(extraction, "effective_date") == .string("2004-08-23"))
        #expect(TestSupport.property(extraction, "agency") == .string("Department of Commerce"))
        #expect(TestSupport.property(extraction, "rin") == .string("0651-AB74"))
        #expect(extraction.entities.dates.map(\.value).contains("2004-08-23"))
    }

    @Test(arguments: [
        ("DEPARTMENT OF HOMELAND SECURITY", "Department of Homeland Security"),
        ("U.S. Customs and Border Protection", "U.S. Customs and Border Protection"),
        ("DEPARTMENT OF HEALTH AND HUMAN SERVICES", "Department of Health and Human Services"),
        ("BUREAU OF ALCOHOL, TOBACCO, FIREARMS, AND EXPLOSIVES", "Bureau of Alcohol, Tobacco, Firearms, and Explosives"),
    ])
    func agencyNamesInCapitalsAreCanonicalized(written: String, canonical: String) throws {
        let xml = "<NOTICE><PREAMB><AGENCY TYPE=\"N\">\(written)</AGENCY></PREAMB></NOTICE>"
        let document = try #require(try TestSupport.parse(Array(xml.utf8), path: "notice.xml").first)
        let extraction = try #require(FormatExtractor().extract(document))
        #expect(extraction.entities.agencies.first?.name == canonical)
        #expect(TestSupport.property(extraction, "document_type") == .string("notice"))
    }
}
