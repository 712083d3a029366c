import Foundation
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

    /// Escaping one byte at a time, the plain way: what the eight-bytes-at-a-time writer must equal.
    static func reference(_ s: String) -> String {
        var out = Array("\"".utf8)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20, 0x7F: out += Array(("\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)).utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out + Array("\"".utf8), as: UTF8.self)
    }

    @Test("strings: every byte that needs escaping is escaped wherever it falls in an eight-byte word")
    func escapingAtEveryOffset() {
        let specials: [Character] = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}"]
        for special in specials {
            for offset in 0..<17 {
                let s = String(repeating: "a", count: offset) + String(special) + "Département d’État " + String(repeating: "z", count: 9)
                var out: [UInt8] = []
                JSONWriter.writeString(s, into: &out)
                #expect(String(decoding: out, as: UTF8.self) == Self.reference(s), "\(special.unicodeScalars.map(\.value)) at \(offset)")
                // Valid JSON that reads back as the same string.
                #expect((try? JSONReader.parse(out)) == .string(s))
            }
        }
    }

    @Test("integers: digits written straight, from Int.min to Int.max")
    func integers() {
        for value in [0, 7, 9, 10, -1, -10, 99, 100, 1_234_567_890, Int.max, Int.min, Int.max - 1, Int.min + 1] {
            var out: [UInt8] = []
            JSONWriter.writeInt(value, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }

    @Test("a record written straight to bytes has its keys in DESIGN.md's order and reads back")
    func recordKeysInOrder() throws {
        var entities = Entities()
        entities.agencies = [AgencyEntity(name: "Office of Information Policy", acronym: "OIP", mentions: [Mention(start: 4, end: 7, text: "OIP")])]
        entities.counts = [CountEntity(value: 1.5, unit: "percent", mentions: [Mention(start: 9, end: 13, text: "1.5%")])]
        var record = Record(release: "r.zip", member: "a/b.xml", part: "p1", sha256: "00", bytes: 12, mediaType: "application/xml",
                            encoding: "UTF-8", title: nil, text: "The OIP: 1.5%", extraction: Extraction(entities: entities),
                            producedBy: [("pipeline", .string("default"))])
        record.pages = [0, 5]
        var out: [UInt8] = []
        record.write(into: &out)
        let text = String(decoding: out, as: UTF8.self)
        let keys = ["\"schema\"", "\"id\"", "\"source\"", "\"release\"", "\"member\"", "\"part\"", "\"sha256\"", "\"bytes\":12",
                    "\"media_type\"", "\"encoding\"", "\"title\":null", "\"text\"", "\"pages\":[0,5]", "\"ocr_pages\":[]",
                    "\"entities\"", "\"agencies\"", "\"dates\":[]", "\"programs\":[]", "\"counts\"", "\"value\":1.5",
                    "\"produced_by\":{\"pipeline\":\"default\"}"]
        var from = text.startIndex
        for key in keys {
            let found = try #require(text.range(of: key, range: from..<text.endIndex), "\(key) after the previous key")
            from = found.upperBound
        }
        #expect(record.json()["source"]?["part"] == .string("p1"))
        #expect(record.json().serialized() == text)
    }
}

@Suite struct EntitiesTests {
    @Test func foldingMatchesTheScorersRules() {
        #expect(Entities.foldName("the U.S. Immigration & Customs Enforcement") == "immigration and customs enforcement")
        #expect(Entities.foldName("United States Immigration and Customs Enforcement") == "immigration and customs enforcement")
        #expect(Entities.foldName("The United  United States Army") == "united army")
        #expect(Entities.foldName("The The Band, U.S.") == "the band")
        #expect(Entities.foldName(" . ") == "")
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

    /// eval/gold FR-2024-02-12-2024-02962.xml: a notice's AGENCY heading names the Unified Carrier Registration
    /// Plan, which the text's program scan reads as a plan; the document's agency is not also a program, nor is
    /// "UCR Plan", its initials and last word. A program that only contains an agency's name stays one.
    @Test func programsNamingADocumentsAgencyBecomeItsMentions() {
        func mention(_ start: Int, _ text: String) -> Mention { Mention(start: start, end: start + text.count, text: text) }
        var entities = Entities(programs: [
            ProgramEntity(name: "Unified Carrier Registration Plan", mentions: [mention(40, "Unified Carrier Registration Plan")]),
            ProgramEntity(name: "UCR Plan", mentions: [mention(200, "UCR Plan")]),
            ProgramEntity(name: "UCR Grant Program", mentions: [mention(300, "UCR Grant Program")]),
            ProgramEntity(name: "Unified Carrier Registration Plan and Agreement",
                          mentions: [mention(100, "Unified Carrier Registration Plan and Agreement")]),
        ])
        entities.merge(Entities(agencies: [AgencyEntity(name: "UNIFIED CARRIER REGISTRATION PLAN",
                                                        mentions: [mention(0, "UNIFIED CARRIER REGISTRATION PLAN")])]))
        #expect(entities.programs.map(\.name) == ["UCR Grant Program", "Unified Carrier Registration Plan and Agreement"])
        #expect(entities.agencies.count == 1)
        #expect(entities.agencies[0].mentions.map(\.start) == [0, 40, 200])
    }

    @Test func sniffsContentBeforeName() {
        #expect(ContentSniffer.kind(name: "report.xml", prefix: Array("<!DOCTYPE html><html>".utf8)) == .html)
        #expect(ContentSniffer.kind(name: "x.bin", prefix: [0x50, 0x4B, 0x03, 0x04]) == .zip)
        #expect(ContentSniffer.kind(name: "a.csv", prefix: Array("a,b,c".utf8)) == .other)
        #expect(ContentSniffer.kind(name: "r.xml", prefix: [0xEF, 0xBB, 0xBF] + Array("<?xml version".utf8)) == .xml)
    }

    /// An element named exactly html, head or body makes HTML; longer names (the CFR's <HEADING>,
    /// the eCFR's <HEADER>) and a declared XML document's <HEAD> do not.
    @Test(arguments: [
        ("<DIV><HEAD>Title</HEAD>", ContentKind.html), ("<doc>\n<body\nclass=x>", .html), ("<x/><HTML", .html),
        ("<x>< html></x>", .xml), ("<CFRDOC><HEADING>Part 1</HEADING>", .xml), ("<ECFR><HEADER>", .xml),
        ("<?xml version=\"1.0\"?><DOC><HEAD>Notice</HEAD>", .xml), ("<r>&lt;!doctype html&gt;<!DOCTYPE HTML", .html),
        ("\u{00A0}\n <head>", .html), ("x<html>", .other),
    ])
    func sniffsHTMLByWholeElementNames(_ head: String, _ kind: ContentKind) {
        #expect(ContentSniffer.kind(name: "member", prefix: Array(head.utf8)) == kind)
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

@Suite struct XMLNameTests {
    @Test("a name is a value: setting a part of a copy leaves the original as it was; equality and hashing by parts")
    func valueSemantics() {
        let original = XMLName(namespace: "urn:r", local: "report", prefix: "r")
        var copy = original
        copy.local = "part"
        copy.prefix = nil
        copy.namespace = "urn:s"
        #expect(original.namespace == "urn:r" && original.local == "report" && original.prefix == "r")
        #expect(copy == XMLName(namespace: "urn:s", local: "part"))
        #expect(original != copy)
        let twin = XMLName(namespace: "urn:r", local: "report", prefix: "r")
        #expect(twin == original)
        #expect(Set([original, twin, copy]).count == 2)
    }
}
