import Foundation
import SluiceTestSupport
import Testing
import SluiceCore
import SluiceLedger
@testable import SluiceScheduler

/// The whole hostile set through the whole pipeline, as DESIGN.md's "Bad input" says:
/// nothing crashes, nothing is written outside the Outbox, nothing is read outside the
/// release, no connection is made, every bad member has a failed or skipped row with its
/// reason, and every good document still gets its record.
@Suite struct HostileSetTests {
    struct Case {
        var release: String
        var good: [String]
        var optional: [String]
        var bad: [[String: Any]]
        var checks: [String: [String: Any]]
        var noOtherRecords: Bool
        var neverText: [String]
        var neverCreate: [String]
    }

    static func cases() throws -> [Case] {
        let data = Data(try Fixtures.bytes("hostile/manifest.json"))
        let list = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return list.compactMap { entry in
            guard let release = entry["release"] as? String, let expect = entry["expect"] as? [String: Any] else { return nil }
            let never = expect["never"] as? [String: Any] ?? [:]
            return Case(release: release, good: expect["good_documents"] as? [String] ?? [],
                        optional: expect["optional_documents"] as? [String] ?? [],
                        bad: expect["bad_members"] as? [[String: Any]] ?? [],
                        checks: expect["record_checks"] as? [String: [String: Any]] ?? [:],
                        noOtherRecords: expect["no_other_records"] as? Bool ?? false,
                        neverText: never["text"] as? [String] ?? [], neverCreate: never["create"] as? [String] ?? [])
        }
    }

    /// Files below `dir`, as relative paths.
    static func tree(_ dir: String) -> Set<String> {
        Set((FileManager.default.enumerator(atPath: dir)?.allObjects as? [String]) ?? [])
    }

    /// Sluice's finer failure kinds, as the manifest's reason classes name them.
    static let reasonClass: [String: String] = [
        "malformed": "corrupt", "binary": "corrupt", "no-text": "empty", "unsupported-type": "unsupported",
    ]

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    @Test func everyHostileReleaseBehavesAsTheManifestSays() throws {
        let cases = try HostileSetTests.cases()
        #expect(cases.count >= 40)
        let tmp = try TempDir()
        let base = "\(tmp.path)/one/two/three/four"
        let inbox = try tmp.folder("one/two/three/four/Inbox",
                                   copying: try cases.map { try Fixtures.path("hostile/releases/\($0.release)") })
        let outbox = "\(base)/Outbox"
        let listener = LoopbackListener(port: 47821)
        let before = HostileSetTests.tree(tmp.path)
        let tmpBefore = HostileSetTests.tree(NSTemporaryDirectory())

        let report = try runPipeline(inbox: inbox, outbox: outbox)
        #expect(report.exitCode == 1, "hostile members fail, so the run exits 1")
        #expect(listener?.acceptedConnection() == false, "nothing connected to 127.0.0.1:47821")

        // Nothing new outside the Outbox.
        let after = HostileSetTests.tree(tmp.path).filter { !$0.hasPrefix("one/two/three/four/Outbox") }
        #expect(after == before)
        let newInTmp = HostileSetTests.tree(NSTemporaryDirectory()).subtracting(tmpBefore)
        for c in cases {
            for name in c.neverCreate {
                #expect(!newInTmp.contains { $0.hasSuffix(name) }, "\(name) was created in the temporary folder")
            }
        }

        let all = try records(outbox)
        try expectValidRecords(outbox)
        let rows = try Ledger(path: "\(outbox)/ledger.sqlite").itemRows()
        for c in cases {
            let mine = all.filter { ($0.source["release"] as? String) == c.release }
            let members = mine.map(\.member)
            #expect(Set(members).count == members.count, "\(c.release): two records for one member")
            for good in c.good.map(\.escapingControlCharacters) {
                #expect(members.filter { $0 == good }.count == 1, "\(c.release): \(good) has exactly one record")
            }
            var allowed = Set((c.good + c.optional).map(\.escapingControlCharacters))
            for bad in c.bad where (bad["also_ok"] as? [String] ?? []).contains("record") {
                if let member = bad["member"] as? String { allowed.insert(member.escapingControlCharacters) }
            }
            if c.noOtherRecords {
                for member in members {
                    #expect(allowed.contains(member), "\(c.release): unexpected record for \(member)")
                }
            }
            for record in mine {
                let text = HostileSetTests.collapse(record.text)
                for secret in c.neverText { #expect(!text.contains(secret), "\(c.release): \(secret) reached a record") }
                #expect(!record.text.unicodeScalars.contains("\u{0}"))
                #expect(!record.text.unicodeScalars.contains("\u{FFFD}") || c.release.contains("invalid-utf8"))
                guard let checks = c.checks[record.member] else { continue }
                for needle in checks["text_contains"] as? [String] ?? [] {
                    #expect(text.contains(HostileSetTests.collapse(needle)), "\(c.release) \(record.member): missing \(needle)")
                }
                for needle in checks["text_excludes"] as? [String] ?? [] {
                    #expect(!text.contains(needle), "\(c.release) \(record.member): must not contain \(needle)")
                }
                if let title = checks["title"] as? String { #expect(record["title"] as? String == title) }
                if let limit = checks["max_text_chars"] as? Int { #expect(record.text.count <= limit) }
            }
            let problems = rows.filter { $0.release == c.release && ($0.status == .failed || $0.status == .skipped || $0.status == .quarantined) }
            for bad in c.bad {
                guard let member = (bad["member"] as? String)?.escapingControlCharacters else { continue }
                let alsoOK = bad["also_ok"] as? [String] ?? []
                if members.contains(member), alsoOK.contains("record") { continue }
                if alsoOK.contains("none"), problems.isEmpty { continue }
                let matching = problems.filter { member == "*" || $0.member == member || $0.member.hasPrefix(member + "!/") }
                #expect(!matching.isEmpty, "\(c.release): no failed or skipped row for \(member)")
                let classes = Set([bad["reason_class"] as? String].compactMap { $0 } + (bad["alt_reasons"] as? [String] ?? []))
                let kinds = Set(matching.map { $0.errorKind ?? "" })
                #expect(!kinds.isDisjoint(with: classes) || kinds.contains { HostileSetTests.reasonClass[$0].map(classes.contains) ?? false },
                        "\(c.release) \(member): reasons \(kinds.sorted()) are not \(classes.sorted())")
            }
        }
    }
}

/// A TCP listener on a loopback port that only records whether anyone connected.
final class LoopbackListener {
    private let fd: Int32

    init?(port: UInt16) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            return nil
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Whether a connection is waiting (someone tried to reach the port).
    func acceptedConnection() -> Bool {
        let client = accept(fd, nil, nil)
        if client >= 0 {
            close(client)
            return true
        }
        return false
    }

    deinit { close(fd) }
}
