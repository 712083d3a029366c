import Foundation
import SluiceCore
import SluiceUnpack
import SluiceTestSupport
import Testing

/// One release of the shared hostile corpus, with its expectations.
struct HostileCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Expect: Decodable, Sendable {
        var good_documents: [String]
        var optional_documents: [String]?
        var bad_members: [BadMember]?
    }

    struct BadMember: Decodable, Sendable {
        var member: String
        var outcome: String
        var reason_class: String
        var also_ok: [String]?
        var alt_reasons: [String]?
    }

    var release: String
    var sha256: String
    var expect: Expect

    var testDescription: String { release }

    static let manifestURL = Fixtures.corpus.appendingPathComponent("hostile/manifest.json")

    static let all: [HostileCase] = {
        guard let data = try? Data(contentsOf: manifestURL) else { return [] }
        return (try? JSONDecoder().decode([HostileCase].self, from: data)) ?? []
    }()

    /// Classes the unpack stage decides; the others (entity expansion, XXE,
    /// encodings, text size, document depth) are the parse stage's.
    static let unpackClasses: Set<String> = [
        "bomb", "too-deep", "traversal", "bad-name", "link", "device", "duplicate",
        "encrypted", "unsupported", "corrupt", "empty", "resource-fork",
    ]
}

@Suite("Hostile corpus, unpack-level expectations")
struct HostileManifestTests {
    @Test("the manifest is there and readable")
    func manifestLoads() {
        #expect(HostileCase.all.count >= 40, "read \(HostileCase.all.count) cases from \(HostileCase.manifestURL.path)")
    }

    @Test("every committed hostile release is the shared corpus's, byte for byte (the manifest's SHA-256)")
    func committedReleasesAreTheCorpus() throws {
        for hostile in HostileCase.all {
            let bytes = try Fixtures.bytes("hostile/releases/\(hostile.release)")
            #expect(SHA256.hex(bytes) == hostile.sha256, "\(hostile.release)")
        }
    }

    @Test(arguments: HostileCase.all)
    func release(_ hostile: HostileCase) throws {
        let path = try Fixtures.path("hostile/releases/\(hostile.release)")
        let events = try unpackAll(path)
        let documents = events.filter { $0.kind == .document }
        let documentPaths = documents.map(\.path)

        for good in hostile.expect.good_documents {
            #expect(documentPaths.filter { $0 == good }.count == 1, "good document \(good.debugDescription): \(events)")
        }
        #expect(Set(documentPaths).count == documentPaths.count, "a member came out twice: \(documentPaths)")

        let lower = hostile.release.lowercased()
        if lower.hasSuffix(".xml") || lower.hasSuffix(".html") {
            try checkLoose(path: path, name: hostile.release, events: events)
            return
        }
        var allowedDocuments = Set(hostile.expect.good_documents + (hostile.expect.optional_documents ?? []))
        for bad in hostile.expect.bad_members ?? [] {
            check(bad, events: events, allowed: &allowedDocuments)
        }
        for document in documentPaths {
            #expect(allowedDocuments.contains(document), "unexpected document \(document.debugDescription)")
        }
    }

    /// A loose document: one event for the file itself; judging its content
    /// (entities, encodings, depth, binary) is the parse stage's job.
    private func checkLoose(path: String, name: String, events: [Recorded]) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try #require(events.count == 1, "\(events)")
        if bytes.isEmpty {
            #expect(events[0] == Recorded(kind: .skipped, path: name, code: "empty", message: events[0].message))
        } else {
            #expect(events[0].kind == .document && events[0].path == name && events[0].data == bytes)
        }
    }

    private func check(_ bad: HostileCase.BadMember, events: [Recorded], allowed: inout Set<String>) {
        let reasons = [bad.reason_class] + (bad.alt_reasons ?? [])
        let alsoOK = bad.also_ok ?? []
        let related = events.filter { event in
            bad.member == "*" || event.path == bad.member || event.path.hasPrefix(bad.member + "!/")
        }
        let refusals = related.filter { event in
            guard event.kind != .document, let code = event.code else { return false }
            return reasons.contains { $0 == code || ($0 == "unsupported" && code == "unsupported-type") }
        }
        let unpackLevel = reasons.contains(where: HostileCase.unpackClasses.contains)
        let cameOut = related.contains { $0.kind == .document }
        if cameOut, alsoOK.contains("record") || !unpackLevel {
            allowed.insert(bad.member)
        }
        if !refusals.isEmpty { return }
        if alsoOK.contains("none"), related.isEmpty { return }
        if cameOut, alsoOK.contains("record") || !unpackLevel { return }
        Issue.record("bad member \(bad.member.debugDescription) (\(reasons)) got no matching refusal: \(related)")
    }

    @Test("the same release gives the same events on every run")
    func deterministic() throws {
        let path = try Fixtures.path("hostile/releases/mixed-release.zip")
        let first = try unpackAll(path)
        #expect(first.count >= 15)
        #expect(try unpackAll(path) == first)
    }
}
