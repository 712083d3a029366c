import SluiceCore
import Testing

/// The `source` each entity carries (issue #18), on a real sentence from the tuning half of
/// eval/gold (eval/gold/split.json).
@Suite struct EntitySourceTests {
    /// agency-html/doj-oip/oip-101208.html: each entity says how it was found.
    @Test func entitiesCarryTheirSource() throws {
        let text = """
            Re: Request to depose the declarant for Minerals Management Service (MMS) as to the adequacy of the agency's search \
            for records responsive to plaintiff's FOIA request (posted 12/08/2010)
            """
        let entities = try extract(text)
        #expect(entities.agencies.first { $0.acronym == "MMS" }?.source == .gazetteer)
        #expect(entities.dates.map(\.source) == [.pattern])
        let json = entities.json().serialized()
        #expect(json.contains("\"source\":\"gazetteer\""))
        #expect(json.contains("\"source\":\"pattern\""))
    }

    @Test func theMoreCertainSourceWins() {
        #expect(EntitySource.best(.pattern, .gazetteer) == .gazetteer)
        #expect(EntitySource.best(.format, .definedAcronym) == .format)
        #expect(EntitySource.best(nil, .pattern) == .pattern)
        var a = Entities(agencies: [AgencyEntity(name: "Office of Information Policy", acronym: "OIP", source: .pattern)])
        a.merge(Entities(agencies: [AgencyEntity(name: "Office of Information Policy", acronym: "OIP", source: .format)]))
        #expect(a.agencies.map(\.source) == [.format])
    }
}
