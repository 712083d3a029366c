import SluiceCore
import Testing

@Suite struct AgencyTests {
    @Test func iceWrittenThreeWaysIsOneAgencyWithThreeMentions() throws {
        // Two lines of corpus/agency-html/doj-oip/oip-101102.html, and ICE's name as FOIA.gov lists it.
        let text = """
            Re: Request for six categories of records regarding the death of individuals in the custody of Immigration and Customs Enforcement dating back to 2004
            • Adequacy of search: The court finds that searches performed by ICE and DHS were adequate.
            Component: U.S. Immigration & Customs Enforcement
            """
        let agencies = try extract(text).agencies.filter { Entities.foldName($0.name).contains("customs enforcement") }
        #expect(agencies.count == 1)
        let ice = try #require(agencies.first)
        #expect(ice.name == "U.S. Immigration and Customs Enforcement")
        #expect(ice.acronym == "ICE")
        #expect(ice.parent == "Department of Homeland Security")
        #expect(ice.mentions.map(\.text) == ["Immigration and Customs Enforcement", "ICE", "U.S. Immigration & Customs Enforcement"])
    }

    @Test func acronymDefinedInParenthesesResolvesLaterUses() throws {
        let text = try fixture("oip-101102.html")
        let ice = try #require(try extract(text).agencies.first { $0.acronym == "ICE" })
        #expect(ice.mentions.filter { $0.text == "ICE" }.count >= 2)
        #expect(ice.mentions.contains { $0.text == "Immigration and Customs Enforcement" })
    }

    @Test func bodyNoListHasIsFoundWithTheAcronymTheTextDefines() throws {
        let agencies = try extract(try fixture("oip-100709.html")).agencies
        let ogis = try #require(agencies.first { $0.name == "Office of Government Information Services" })
        #expect(ogis.acronym == "OGIS")
        #expect(ogis.mentions.contains { $0.text == "OGIS" })
        #expect(agencies.contains { $0.name == "National Archives and Records Administration" && $0.acronym == "NARA" })
    }

    @Test(arguments: [
        ("D.D.C.", "United States District Court for the District of Columbia"),
        ("3rd Cir.", "United States Court of Appeals for the Third Circuit"),
        ("S.D. Miss.", "United States District Court for the Southern District of Mississippi"),
        ("W.D.N.C.", "United States District Court for the Western District of North Carolina"),
        ("D. Minn.", "United States District Court for the District of Minnesota"),
    ])
    func courtCitationAbbreviationsAreCourts(abbreviation: String, name: String) throws {
        let agencies = try extract(try fixture("oip-100621.html")).agencies
        let court = try #require(agencies.first { $0.acronym == abbreviation })
        #expect(court.name == name)
    }

    @Test func websitesTitlesAndCommonNounsAreNotAgencies() throws {
        let agencies = try extract(try fixture("oip-101112.html")).agencies
        #expect(!agencies.contains { $0.mentions.contains { $0.text.contains(".gov") } })
        #expect(!agencies.contains { $0.name == "Attorney General" || $0.name == "Department" })
        #expect(agencies.contains { $0.name == "Office of Information Policy" && $0.parent == "Department of Justice" })
    }

    @Test func everyWayOfWritingAnAgencyIsOneEntity() throws {
        for name in ["oip-100621.html", "oip-101102.html", "2011-29462.xml"] {
            let agencies = try extract(try fixture(name)).agencies
            let folded = agencies.map { Entities.foldName($0.name) }
            #expect(Set(folded).count == folded.count, "duplicate agency names in \(name)")
            let acronyms = agencies.compactMap(\.acronym)
            #expect(Set(acronyms).count == acronyms.count, "duplicate acronyms in \(name)")
        }
    }
}
