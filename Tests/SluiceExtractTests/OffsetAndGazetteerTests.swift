import Foundation
import SluiceCore
@testable import SluiceExtract
import Testing

@Suite struct OffsetTests {
    @Test(arguments: ["oip-100621.html", "oip-100709.html", "oip-100809.html", "oip-101102.html", "oip-101112.html", "2011-29462.xml"])
    func mentionsPointAtTheirSurfaceText(name: String) throws {
        let text = try fixture(name)
        let e = try extract(text)
        let mentions = e.agencies.flatMap(\.mentions) + e.dates.flatMap(\.mentions) + e.programs.flatMap(\.mentions) + e.counts.flatMap(\.mentions)
        #expect(!mentions.isEmpty)
        for m in mentions { #expect(slice(text, m) == m.text) }
    }

    @Test func offsetsCountUnicodeScalarsOnNonASCIIText() throws {
        // "’" and "•" are one scalar each but three UTF-8 bytes; "é" below is written decomposed (two scalars).
        let text = "Résumé \u{2019}\u{2022} e\u{301}t\u{e9} Immigration and Customs Enforcement (ICE) met on May 3, 2011."
        let e = try extract(text)
        let ice = try #require(e.agencies.first { $0.acronym == "ICE" })
        for m in ice.mentions + e.dates.flatMap(\.mentions) { #expect(slice(text, m) == m.text) }
        #expect(e.dates.first?.mentions.first?.start == Array(text.unicodeScalars).count - 12)
    }

    @Test func concurrentCallsAgreeWithSequentialOnes() async throws {
        let texts = try ["oip-100621.html", "oip-101112.html", "2011-29462.xml"].map(fixture)
        let expected = try texts.map { try extract($0) }
        let results = try await withThrowingTaskGroup(of: (Int, Entities).self) { group in
            for round in 0..<4 {
                for (i, text) in texts.enumerated() { group.addTask { (i + round * 0, try extract(text)) } }
            }
            var out: [(Int, Entities)] = []
            for try await r in group { out.append(r) }
            return out
        }
        for (i, entities) in results { #expect(entities == expected[i]) }
    }
}

@Suite struct GazetteerTests {
    private func temporaryFile(_ contents: String) throws -> String {
        let path = NSTemporaryDirectory() + "sluice-gazetteer-\(UUID().uuidString).tsv"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func userGazetteerAddsAgenciesAndPrograms() throws {
        let path = try temporaryFile("""
            # kind\tname\tacronym\tparent\tvariants
            agency\tOffice of Government Information Services\tOGIS\tNational Archives and Records Administration\tFOIA Ombudsman
            program\tFOIA Post\t\t\t
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let extractor = try TextExtractor(configuration: ExtractConfiguration(userGazetteers: [path]))
        let text = try fixture("oip-100709.html")
        let entities = extractor.extract(ParsedDocument(mediaType: .html, encoding: "UTF-8", title: nil, text: text))
        let ogis = try #require(entities.agencies.first { $0.acronym == "OGIS" })
        #expect(ogis.parent == "National Archives and Records Administration")
        #expect(entities.programs.contains { $0.name == "FOIA Post" })
        // Without the user file the shipped gazetteer knows neither.
        let plain = try #require(sharedExtractor).extract(ParsedDocument(mediaType: .html, encoding: "UTF-8", title: nil, text: text))
        #expect(plain.agencies.first { $0.acronym == "OGIS" }?.parent == nil)
        #expect(!plain.programs.contains { $0.name == "FOIA Post" })
    }

    /// Gazetteer lines are split and trimmed on their bytes; an end that is Unicode white space beyond ASCII
    /// (a no-break space, an ideographic space) is trimmed as well, and line numbers count every line.
    @Test func gazetteerRowsAreTrimmedOfAnyWhiteSpace() {
        var text = "# comment\n\n  agency \t\u{00A0}Bureau of Examples\u{3000}\tBOE\r\n \t \nprogram\tSample Fund\t\t\tA | B |\u{2003}"
        let rows = text.withUTF8 { Gazetteer.rows($0) }
        #expect(rows.map(\.line) == [3, 5])
        #expect(rows.first?.columns == ["agency", "Bureau of Examples", "BOE"])
        #expect(rows.last?.columns == ["program", "Sample Fund", "", "", "A | B |"])
        #expect(Gazetteer.trimmed("\u{2003} x y \u{00A0}") == "x y")
        #expect(Gazetteer.trimmed("\u{00A0}\t") == "")
    }

    @Test func malformedOrMissingUserGazetteerIsAConfigError() throws {
        let path = try temporaryFile("department\tNot A Kind\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: SluiceError.self) { try TextExtractor(configuration: ExtractConfiguration(userGazetteers: [path])) }
        do {
            _ = try TextExtractor(configuration: ExtractConfiguration(userGazetteers: ["/nonexistent/gazetteer.tsv"]))
            Issue.record("a missing gazetteer must throw")
        } catch let error as SluiceError {
            #expect(error.code == .config)
        }
    }

    @Test func configurationSwitchesExtractorsOff() throws {
        let extractor = try TextExtractor(configuration: ExtractConfiguration(agencies: false, dates: true, programs: false, counts: false))
        let e = extractor.extract(ParsedDocument(mediaType: .html, encoding: "UTF-8", title: nil, text: try fixture("oip-100809.html")))
        #expect(e.agencies.isEmpty && e.programs.isEmpty && e.counts.isEmpty)
        #expect(!e.dates.isEmpty)
    }
}
