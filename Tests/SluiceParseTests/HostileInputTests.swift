import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SluiceParse

/// One loose XML/HTML release of the hostile corpus, as manifest.json describes it.
struct HostileCase: CustomTestStringConvertible, Sendable {
    var release: String
    var valid: Bool
    var goodDocuments: [String]
    /// Reason classes accepted for a failure (reason_class plus alt_reasons); empty for valid cases.
    var acceptedReasons: Set<String>
    var recordAllowed: Bool
    var textContains: [String]
    var textExcludes: [String]
    var title: String?
    var maxTextChars: Int?
    var neverText: [String]

    var testDescription: String { release }

    static func all() throws -> [HostileCase] {
        let data = try Data(contentsOf: try Fixtures.url("hostile/manifest.json"))
        guard let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.compactMap { entry in
            guard let release = entry["release"] as? String, release.hasSuffix(".xml") || release.hasSuffix(".html"),
                let expect = entry["expect"] as? [String: Any]
            else { return nil }
            let bad = (expect["bad_members"] as? [[String: Any]])?.first { ($0["member"] as? String) == release }
            var reasons = Set<String>()
            if let bad {
                if let reason = bad["reason_class"] as? String { reasons.insert(reason) }
                reasons.formUnion(bad["alt_reasons"] as? [String] ?? [])
            }
            let good = expect["good_documents"] as? [String] ?? []
            let alsoOK = bad?["also_ok"] as? [String] ?? []
            let checks = (expect["record_checks"] as? [String: Any])?[release] as? [String: Any] ?? [:]
            let never = expect["never"] as? [String: Any] ?? [:]
            return HostileCase(
                release: release, valid: expect["valid"] as? Bool ?? false, goodDocuments: good, acceptedReasons: reasons,
                recordAllowed: good.contains(release) || alsoOK.contains("record"),
                textContains: checks["text_contains"] as? [String] ?? [], textExcludes: checks["text_excludes"] as? [String] ?? [],
                title: checks["title"] as? String, maxTextChars: checks["max_text_chars"] as? Int,
                neverText: never["text"] as? [String] ?? [])
        }
    }
}

/// The manifest's reason class for a parse error code.
func reasonClass(_ code: SluiceError.Code) -> String {
    switch code {
    case .entityExpansion: return "entity-expansion"
    case .xxeBlocked: return "xxe-blocked"
    case .tooDeep: return "too-deep"
    case .tooLarge: return "too-large"
    case .encoding: return "encoding"
    case .empty, .noText: return "empty"
    case .binary, .malformed: return "corrupt"
    default: return code.rawValue
    }
}

@Suite("Hostile XML and HTML releases behave as manifest.json says")
struct HostileInputTests {
    static let cases: [HostileCase] = (try? HostileCase.all()) ?? []

    @Test("the manifest lists the loose XML and HTML cases")
    func manifestIsRead() {
        #expect(Self.cases.count >= 20)
    }

    @Test(arguments: cases)
    func behavesAsManifestSays(_ hostile: HostileCase) throws {
        let bytes = try Fixtures.bytes("hostile/releases/\(hostile.release)")
        let clock = ContinuousClock()
        var documents: [ParsedDocument] = []
        var failure: SluiceError?
        let elapsed = clock.measure {
            do { documents = try parse(bytes, name: hostile.release) } catch let error as SluiceError { failure = error } catch {
                failure = SluiceError(.internal, "\(error)")
            }
        }
        // Bounded time: libxml2 alone takes ~23 s on html-100k-attributes.html.
        #expect(elapsed < .seconds(5), "\(hostile.release) took \(elapsed)")
        if let failure {
            #expect(!hostile.goodDocuments.contains(hostile.release), "a good document failed: \(failure)")
            #expect(
                hostile.acceptedReasons.contains(reasonClass(failure.code)),
                "\(hostile.release) failed as \(failure.code) (\(failure.message)); manifest accepts \(hostile.acceptedReasons)")
            #expect(failure.item == hostile.release)
            #expect(!failure.message.isEmpty)
            return
        }
        #expect(hostile.recordAllowed, "\(hostile.release) produced a record but must fail")
        #expect(documents.count == 1)
        for document in documents {
            let normalized = collapseWhitespace(document.text)
            for needle in hostile.textContains {
                #expect(normalized.contains(needle), "\(hostile.release): text lacks \(needle)")
            }
            for needle in hostile.textExcludes + hostile.neverText {
                #expect(!document.text.contains(needle), "\(hostile.release): text holds \(needle)")
            }
            if let title = hostile.title { #expect(document.title == title) }
            if let max = hostile.maxTextChars { #expect(document.text.unicodeScalars.count <= max) }
            #expect(!document.text.contains("root:x:0:0"))
            #expect(document.text.isCleanText)
        }
    }

    @Test("the XXE and XInclude cases never read /etc/passwd and never fail for the wrong reason")
    func externalContentNeverLoaded() throws {
        for release in ["xml-xxe-file.xml", "xml-xxe-http.xml", "xml-xinclude.xml", "xml-external-dtd.xml"] {
            let bytes = try Fixtures.bytes("hostile/releases/\(release)")
            if let error = parseError(bytes, name: release) {
                #expect(error.code == .xxeBlocked, "\(release): \(error)")
            } else {
                let text = try parse(bytes, name: release).map(\.text).joined()
                #expect(!text.contains("root:"))
            }
        }
    }
}
