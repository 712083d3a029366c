import Foundation
import SluiceCore
import Testing

@testable import SluiceParse

@Suite("Limits fail documents with a reason")
struct LimitsTests {
    @Test("text over maxTextCharacters fails the document as tooLarge (never a silently truncated record)")
    func textLimit() {
        var limits = ParseLimits()
        limits.maxTextCharacters = 100
        let long = "<doc><p>" + String(repeating: "word ", count: 50) + "</p></doc>"
        #expect(parseError(Array(long.utf8), name: "long.xml", limits: limits)?.code == .tooLarge)
        let html = "<html><body><p>" + String(repeating: "word ", count: 50) + "</p></body></html>"
        #expect(parseError(Array(html.utf8), name: "long.html", limits: limits)?.code == .tooLarge)
        let short = "<doc><p>" + String(repeating: "word ", count: 10) + "</p></doc>"
        #expect(parseError(Array(short.utf8), name: "short.xml", limits: limits) == nil)
    }

    @Test("the limit counts characters, not bytes")
    func charactersNotBytes() throws {
        var limits = ParseLimits()
        limits.maxTextCharacters = 30
        let text = String(repeating: "\u{6771}", count: 25)
        #expect(try parse(xml: "<doc>\(text)</doc>", limits: limits)[0].text == text)
    }

    @Test("nesting over maxDepth fails as tooDeep")
    func depth() {
        var limits = ParseLimits()
        limits.maxDepth = 10
        let deep = String(repeating: "<a>", count: 20) + "x" + String(repeating: "</a>", count: 20)
        #expect(parseError(Array(deep.utf8), name: "deep.xml", limits: limits)?.code == .tooDeep)
        #expect(parseError(Array(deep.utf8), name: "deep.xml") == nil)
    }

    @Test("internal entities expand as text within the expansion budget, and fail past it")
    func entities() throws {
        let xml = "<!DOCTYPE d [<!ENTITY agency \"Office of Information Policy\">]><d><p>&agency; said</p></d>"
        #expect(try parse(xml: xml)[0].text == "Office of Information Policy said")
        var limits = ParseLimits()
        limits.maxEntityExpansionBytes = 50
        let many = "<!DOCTYPE d [<!ENTITY e \"0123456789\">]><d>" + String(repeating: "&e;", count: 10) + "</d>"
        #expect(parseError(Array(many.utf8), name: "many.xml", limits: limits)?.code == .entityExpansion)
    }

    @Test("an external entity reference fails as xxeBlocked and nothing is read")
    func externalEntity() {
        let xml = "<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><d>&x;</d>"
        let error = parseError(Array(xml.utf8), name: "x.xml")
        #expect(error?.code == .xxeBlocked)
        #expect(error?.message.contains("file:///etc/hostname") == true)
    }

    @Test("HTML elements with more attributes than the cap fail fast as tooLarge")
    func attributeCap() {
        var limits = ParseLimits()
        limits.maxAttributesPerElement = 5
        let html = "<html><body><div a b c d e f g>x</div></body></html>"
        #expect(parseError(Array(html.utf8), name: "a.html", limits: limits)?.code == .tooLarge)
        #expect(parseError(Array(html.utf8), name: "a.html") == nil)
    }

    /// The three spellings that slipped past the old HTML-only byte scan and hung
    /// libxml2 2.9's quadratic duplicate-attribute check (issue 12).
    static func manyAttributes(_ count: Int, separator: String) -> String {
        (0..<count).map { "a\($0)=\"1\"" }.joined(separator: separator)
    }

    @Test("attributes with no space between them are each counted: fails fast as tooLarge")
    func attributesWithoutSpaces() {
        let html = "<html><body><div " + Self.manyAttributes(100_000, separator: "") + ">x</div></body></html>"
        let clock = ContinuousClock()
        let start = clock.now
        #expect(parseError(Array(html.utf8), name: "nospace.html")?.code == .tooLarge)
        #expect(clock.now - start < .seconds(5))
    }

    @Test("UTF-16 HTML with a BOM is scanned after decoding: fails fast as tooLarge")
    func utf16HTMLAttributes() {
        let html = "<html><body><div " + Self.manyAttributes(100_000, separator: " ") + ">x</div></body></html>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in html.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(parseError(bytes, name: "utf16.html")?.code == .tooLarge)
    }

    @Test("XML elements have the same attribute cap (UTF-8 and UTF-16)")
    func xmlAttributes() {
        let xml = "<?xml version=\"1.0\"?><d " + Self.manyAttributes(200_000, separator: " ") + ">x</d>"
        #expect(parseError(Array(xml.utf8), name: "many.xml")?.code == .tooLarge)
        var utf16: [UInt8] = []
        for unit in ("<d " + Self.manyAttributes(5_000, separator: " ") + ">x</d>").utf16 {
            utf16 += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        #expect(parseError(utf16, name: "many16.xml")?.code == .tooLarge)
        // Under the cap, attributes are parsed as before.
        let few = "<d " + Self.manyAttributes(20, separator: " ") + ">Office of Information Policy</d>"
        #expect(parseError(Array(few.utf8), name: "few.xml") == nil)
    }

    @Test("XML: the cap is exact for short start tags too (they skip the tag-by-tag scan only when too short to pass it)")
    func xmlAttributeCapExact() {
        var limits = ParseLimits()
        limits.maxAttributesPerElement = 5
        for (count, fails) in [(5, false), (6, true)] {
            for declaration in ["", "<?xml version=\"1.0\" encoding=\"windows-1252\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"] {
                // Shortest spelling libxml2 accepts: one-letter names, empty values, one space.
                let tag = (0..<count).map { "\(Character(Unicode.Scalar(UInt8(97 + $0))))=\"\"" }.joined(separator: " ")
                let xml = declaration + "<d><e " + tag + "/>text</d>"
                let error = parseError(Array(xml.utf8), name: "cap.xml", limits: limits)
                #expect((error?.code == .tooLarge) == fails, "\(count) attributes, \(declaration): \(String(describing: error))")
            }
        }
        // A '<' in a value ends libxml2's attribute list (a fatal error), as it ends a stretch for the scan.
        let cut = "<d><e a=\"1\" b=\"<\" c=\"1\" d=\"1\" e=\"1\" f=\"1\" g=\"1\"/></d>"
        #expect(parseError(Array(cut.utf8), name: "cut.xml", limits: limits)?.code == .malformed)
    }

    /// Attributes that never appear in a start tag of the bytes: defaults declared in the DTD, and a
    /// start tag inside an entity's text written with a character reference. Each hung libxml2 for
    /// about a minute at 100,000 (found after the fuzz round, issue 12).
    @Test("attributes from the DTD (ATTLIST defaults, start tags in entity text) are capped too")
    func dtdAttributes() {
        let declared = (0..<20_000).map { "a\($0) CDATA '1'" }.joined(separator: " ")
        let attlist = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ATTLIST d \(declared)>]><d>text</d>"
        let inEntity = (0..<20_000).map { "a\($0)='1'" }.joined(separator: " ")
        let entity = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY big \"&#60;a \(inEntity)/>\">]><d>&big;</d>"
        let clock = ContinuousClock()
        let start = clock.now
        for (xml, name) in [(attlist, "attlist.xml"), (entity, "entity.xml")] {
            let error = parseError(Array(xml.utf8), name: name)
            #expect(error?.code == .tooLarge, "\(name): \(String(describing: error))")
            #expect(error?.message.contains("max_attributes_per_element") == true)
        }
        #expect(clock.now - start < .seconds(5))
        // A DTD with a few defaults and an entity with markup of its own still parse.
        let small = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ATTLIST d lang CDATA 'en' kind CDATA 'notice'>"
            + "<!ENTITY oip \"Office of &#60;b x='1'>Information&#60;/b> Policy\">]><d>The &oip; wrote.</d>"
        #expect(parseError(Array(small.utf8), name: "small.xml") == nil)
    }
    @Test("empty and blank documents fail as empty; script-only pages as noText")
    func emptiness() throws {
        #expect(parseError([], name: "e.xml")?.code == .empty)
        #expect(parseError(Array("  \n ".utf8), name: "e.xml")?.code == .empty)
        #expect(parseError(Array("<html><script>var a;</script></html>".utf8), name: "s.html")?.code == .noText)
    }

    @Test("documents parse in parallel with per-reader error state")
    func parallel() async throws {
        let bad = Array("<a><b></a>".utf8)
        let good = Array("<a><b>ok</b></a>".utf8)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask {
                    if i.isMultiple(of: 2) { return parseError(bad, name: "bad.xml")?.code == .malformed }
                    return try parse(good, name: "good.xml")[0].text == "ok"
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
