import Foundation
import SluiceTestSupport
import Testing
import SluiceCore
import SluiceLedger
@testable import SluiceScheduler

/// Incremental runs, deletions, stage re-runs and poison documents (issue 7).
@Suite struct NightlyRunTests {
    static func corpusFile(_ path: String) throws -> [UInt8] {
        try Fixtures.bytes(path)
    }

    /// Releases are worked biggest first, so a large one does not run alone at the end of the night; each
    /// still gets its own records, the same as in name order.
    @Test func biggestReleaseIsWorkedFirst() throws {
        let tmp = try TempDir()
        let inbox = try tmp.folder("Inbox")
        let outbox = "\(tmp.path)/Outbox"
        let small = try NightlyRunTests.corpusFile("agency-html/doj-oip/oip-100512.html")
        let big = try NightlyRunTests.corpusFile("federal-register-xml/documents/2011-29462.xml")
        #expect(big.count > small.count)
        try Data(small).write(to: URL(fileURLWithPath: "\(inbox)/a-page.html"))
        try Data(big).write(to: URL(fileURLWithPath: "\(inbox)/b-notice.xml"))
        var recorder: RecordingProcessor?
        let report = try runPipeline(inbox: inbox, outbox: outbox, workers: 1) { config in
            config.isolation.mode = .none
        } processing: { config in
            let made = try RecordingProcessor(config: config)
            recorder = made
            return made
        }
        #expect(recorder?.parsedReleases == ["b-notice.xml", "a-page.html"])
        #expect(report.releasesProcessed == 2)
        #expect(try recordFiles(outbox).keys.sorted() == ["a-page.html.ndjson", "b-notice.xml.ndjson"])
    }

    @Test func aChangedReleaseReplacesItsRecordsAndListsDeletions() throws {
        let tmp = try TempDir()
        let inbox = try tmp.folder("Inbox")
        let outbox = "\(tmp.path)/Outbox"
        let rule = try NightlyRunTests.corpusFile("federal-register-xml/documents/04-16753.xml")
        let notice = try NightlyRunTests.corpusFile("federal-register-xml/documents/2011-29462.xml")
        let page = try NightlyRunTests.corpusFile("agency-html/doj-oip/oip-100512.html")
        let other = try NightlyRunTests.corpusFile("agency-html/doj-oip/oip-100519.html")
        let release = "\(inbox)/weekly.tar"
        try Data(TarWriter.archive([("a/rule.xml", rule), ("a/notice.xml", notice), ("a/page.html", page)]))
            .write(to: URL(fileURLWithPath: release))
        _ = try runPipeline(inbox: inbox, outbox: outbox)
        let before = try records(outbox)
        #expect(before.map(\.member).sorted() == ["a/notice.xml", "a/page.html", "a/rule.xml"])
        let removedID = try #require(before.first { $0.member == "a/notice.xml" }?["id"] as? String)
        let keptID = try #require(before.first { $0.member == "a/rule.xml" }?["id"] as? String)

        // Remove notice.xml, edit page.html (another page's bytes), add other.html.
        try Data(TarWriter.archive([("a/rule.xml", rule), ("a/page.html", other), ("a/other.html", page)]))
            .write(to: URL(fileURLWithPath: release))
        let report = try runPipeline(inbox: inbox, outbox: outbox)
        #expect(report.releasesProcessed == 1)
        let after = try records(outbox)
        #expect(after.map(\.member) == ["a/rule.xml", "a/page.html", "a/other.html"], "archive order")
        #expect(after.first { $0.member == "a/rule.xml" }?["id"] as? String == keptID, "ids are stable")
        #expect(after.first { $0.member == "a/page.html" }?.text.contains("Given the level of interest") == false)
        #expect(report.deletions == 1)
        let deletionFiles = try FileManager.default.contentsOfDirectory(atPath: "\(outbox)/deletions")
        #expect(deletionFiles.count == 1)
        let data = try #require(FileManager.default.contents(atPath: "\(outbox)/deletions/\(deletionFiles[0])"))
        let list = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let deleted = try #require(list["deleted"] as? [[String: Any]])
        #expect(deleted.count == 1)
        #expect(deleted.first?["id"] as? String == removedID)
        #expect(deleted.first?["member"] as? String == "a/notice.xml")
    }

    @Test func rerunningExtractLeavesUnpackAndParseUntouched() throws {
        let tmp = try TempDir()
        let inbox = try tmp.folder("Inbox", copying: ["\(Repo.inbox)/oip-news-and-federal-register.tar.gz",
                                                      "\(Repo.inbox)/BILLSTATUS-114hr1155.xml"])
        let outbox = "\(tmp.path)/Outbox"
        _ = try runPipeline(inbox: inbox, outbox: outbox)
        let full = try recordFiles(outbox)
        let ledger = try Ledger(path: "\(outbox)/ledger.sqlite")
        let rowsBefore = try ledger.itemRows()
        Thread.sleep(forTimeInterval: 0.05)

        var config = try PipelineConfig.load(path: Repo.root.appendingPathComponent("Pipelines/default.yml").path)
        config.setWorkers(2)
        let options = RunOptions(inbox: inbox, outbox: outbox, config: config, child: Built.sluiceChild)
        let rerun = Rerun(options: options, logger: .init(label: "test"))
        let plan = try rerun.plan(RerunRequest(stage: .extract, release: "oip-news-and-federal-register.tar.gz"))
        #expect(plan.entries.count == 7)
        #expect(plan.entries.allSatisfy { $0.from == .extract })
        #expect(plan.wholeReleases.isEmpty)
        let report = try rerun.execute(RerunRequest(stage: .extract, release: "oip-news-and-federal-register.tar.gz"))
        #expect(report.stats.documents == 7)

        let rowsAfter = try ledger.itemRows()
        func key(_ r: ItemRow) -> String { "\(r.release)|\(r.member)|\(r.stage)" }
        let beforeByKey = Dictionary(rowsBefore.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        for row in rowsAfter {
            let old = try #require(beforeByKey[key(row)])
            let touched = row.updatedAt != old.updatedAt
            if row.release == "oip-news-and-federal-register.tar.gz", row.stage >= .extract {
                #expect(touched, "extract and write re-ran for \(row.member) \(row.stage)")
            } else {
                #expect(!touched, "\(row.member) \(row.stage) was left alone")
                #expect(row.attempts == old.attempts)
            }
        }
        #expect(try recordFiles(outbox) == full, "the re-run produces the records a full run does")
    }

    /// No work area: a re-run reads the release again from the Inbox, so nothing but the
    /// records, ledger, manifests and deletions is kept in the Outbox between runs.
    @Test func rerunningParseReadsTheReleaseAgainAndKeepsNoWorkArea() throws {
        let tmp = try TempDir()
        let inbox = try tmp.folder("Inbox", copying: ["\(Repo.inbox)/oip-news-and-federal-register.tar.gz"])
        let outbox = "\(tmp.path)/Outbox"
        _ = try runPipeline(inbox: inbox, outbox: outbox)
        let full = try recordFiles(outbox)
        let kept = Set(try FileManager.default.contentsOfDirectory(atPath: outbox)).subtracting(["ledger.sqlite-wal", "ledger.sqlite-shm"])
        #expect(kept == ["records", "runs", "ledger.sqlite", ".sluice.lock"], "\(kept)")

        var config = try PipelineConfig.load(path: Repo.root.appendingPathComponent("Pipelines/default.yml").path)
        config.setWorkers(2)
        let rerun = Rerun(options: RunOptions(inbox: inbox, outbox: outbox, config: config, child: Built.sluiceChild), logger: .init(label: "test"))
        let request = RerunRequest(stage: .parse, release: "oip-news-and-federal-register.tar.gz", mediaType: "text/html")
        let plan = try rerun.plan(request)
        #expect(plan.entries.count == 4, "the four HTML pages of the release")
        let report = try rerun.execute(request)
        #expect(report.stats.documents == 4)
        #expect(try recordFiles(outbox) == full, "re-parsed pages and carried records give the full run's records")
        #expect(!FileManager.default.fileExists(atPath: "\(outbox)/work"))

        // A release whose bytes changed is not re-run (that is a new run): its records stay as they were.
        let release = "\(inbox)/oip-news-and-federal-register.tar.gz"
        try Data(TarWriter.archive([(name: "x/notice.xml", contents: Array("<doc><p>changed</p></doc>".utf8))])).write(to: URL(fileURLWithPath: release))
        let after = try rerun.execute(request)
        #expect(after.stats.documents == 0)
        #expect(try recordFiles(outbox) == full)
    }

    @Test func aHangingDocumentIsQuarantinedAndTheReleaseCompletes() throws {
        let tmp = try TempDir()
        let inbox = try tmp.folder("Inbox", copying: ["\(Repo.inbox)/oip-news-and-federal-register.tar.gz"])
        let outbox = "\(tmp.path)/Outbox"
        let hangs: Set<String> = ["oip-and-federal-register/oip-100519.html"]
        let report = try runPipeline(inbox: inbox, outbox: outbox, configure: { config in
            config.parseStage.timeout = 0.3
            config.parseStage.attempts = 2
        }, processing: { try HangingProcessor(config: $0, hangs: hangs) })
        #expect(report.exitCode == 1)
        #expect(report.stats.byStage["parse"]?["quarantined"] == 1)
        let all = try records(outbox)
        #expect(all.count == 6, "the other six documents of the release have records")
        #expect(!all.contains { $0.member.hasSuffix("oip-100519.html") })
        let rows = try Ledger(path: "\(outbox)/ledger.sqlite").itemRows(release: "oip-news-and-federal-register.tar.gz")
        let quarantined = try #require(rows.first { $0.status == .quarantined })
        #expect(quarantined.member == "oip-and-federal-register/oip-100519.html")
        #expect(quarantined.attempts == 2)
    }
}
