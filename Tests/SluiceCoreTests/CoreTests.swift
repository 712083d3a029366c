import Testing
@testable import SluiceCore

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func streamingEqualsOneShot() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hasher = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 777) {
            hasher.update(bytes[chunk..<min(chunk + 777, bytes.count)])
        }
        #expect(SHA256.hexString(hasher.finalize()) == SHA256.hex(bytes))
    }

    /// The SHA-extension blocks (where the CPU has them) and the portable rounds agree at every padding boundary.
    @Test(arguments: [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 65_537])
    func hardwareEqualsPortable(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        var portable = SHA256(portable: true)
        portable.update(bytes)
        #expect(SHA256.hexString(portable.finalize()) == SHA256.hex(bytes))
    }
}

@Suite struct JSONWriterTests {
    @Test func escapesAndKeepsKeyOrder() {
        let value = JSONValue.object([
            ("z", .string("a\"b\\c\nd\u{1}é")), ("a", .int(3)), ("n", .null), ("d", .double(80.0)),
            ("f", .double(0.596)), ("l", .array([.bool(true), .bool(false)])),
        ])
        #expect(value.serialized() == #"{"z":"a\"b\\c\nd\u0001é","a":3,"n":null,"d":80,"f":0.596,"l":[true,false]}"#)
    }
}

@Suite struct EntitiesTests {
    @Test func foldingMatchesTheScorersRules() {
        #expect(Entities.foldName("the U.S. Immigration & Customs Enforcement") == "immigration and customs enforcement")
        #expect(Entities.foldName("United States Immigration and Customs Enforcement") == "immigration and customs enforcement")
    }

    /// The ASCII fast path folds as the scalar path does: the same name with one non-ASCII
    /// letter appended (which takes the scalar path) folds to the same words plus that letter.
    @Test(arguments: [
        "the U.S. Immigration & Customs Enforcement", "Bureau of Alcohol, Tobacco, Firearms and Explosives",
        "Dept. of Health/Human Services (HHS)", "  UNITED   STATES  Postal\tService ", "FY-2013 Section 552(b)(3)",
    ])
    func asciiFoldingAgreesWithScalarFolding(name: String) {
        #expect(Entities.asciiCleaned(name) != nil)
        #expect(Entities.asciiCleaned(name + " é") == nil)
        #expect(Entities.foldName(name + " é") == Entities.foldName(name) + " é")
    }

    @Test func mergeUnitesOneAgencyWrittenManyWays() {
        var entities = Entities(agencies: [AgencyEntity(name: "U.S. Immigration and Customs Enforcement", acronym: "ICE",
                                                        mentions: [Mention(start: 0, end: 3, text: "ICE")])])
        entities.merge(Entities(agencies: [AgencyEntity(name: "Immigration & Customs Enforcement",
                                                        mentions: [Mention(start: 10, end: 43, text: "Immigration & Customs Enforcement")])]))
        #expect(entities.agencies.count == 1)
        #expect(entities.agencies[0].mentions.count == 2)
    }

    @Test func sniffsContentBeforeName() {
        #expect(ContentSniffer.kind(name: "report.xml", prefix: Array("<!DOCTYPE html><html>".utf8)) == .html)
        #expect(ContentSniffer.kind(name: "x.bin", prefix: [0x50, 0x4B, 0x03, 0x04]) == .zip)
        #expect(ContentSniffer.kind(name: "a.csv", prefix: Array("a,b,c".utf8)) == .other)
        #expect(ContentSniffer.kind(name: "r.xml", prefix: [0xEF, 0xBB, 0xBF] + Array("<?xml version".utf8)) == .xml)
    }
}

@Suite struct TimestampTests {
    @Test("one formatter for every time Sluice writes")
    func styles() {
        // 2024-01-31T23:59:59.123Z
        let value = 1_706_745_599.123
        #expect(Timestamp.format(secondsSince1970: value) == "2024-01-31T23:59:59.123Z")
        #expect(Timestamp.format(secondsSince1970: value, .compact) == "20240131T235959Z")
        #expect(Timestamp.format(secondsSince1970: 0) == "1970-01-01T00:00:00.000Z")
        let now = Timestamp.now()
        #expect(now.count == 24 && now.hasSuffix("Z") && now.hasPrefix("20"))
    }
}
