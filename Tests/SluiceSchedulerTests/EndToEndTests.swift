import Foundation
import Testing
import SluiceLedger
@testable import SluiceScheduler

/// The whole pipeline over the sample Inbox the README's first command processes.
@Suite(.serialized) struct EndToEndTests {
    /// XML and HTML documents in the sample Inbox: 99 FY2013 reports in the FOIA.gov zip
    /// (its __MACOSX forks are skipped), 7 in the tar.gz, 1 loose BILLSTATUS file.
    static let sampleDocuments = 107

    @Test func sampleInboxGivesOneRecordPerDocumentAndRerunsAreNoOps() throws {
        let tmp = try TempDir()
        let outbox = "\(tmp.path)/Outbox"
        let first = try runPipeline(inbox: Repo.inbox, outbox: outbox)
        #expect(first.releasesProcessed == 3)
        #expect(first.stats.documents == EndToEndTests.sampleDocuments)
        let all = try records(outbox)
        #expect(Set(all.map { "\($0.source["release"] ?? "")!\($0.member)" }).count == all.count, "one record per (release, member)")
        #expect(all.filter { ($0.source["release"] as? String) == "2013-FOIASetFull.zip" }.count == 99)
        #expect(!all.contains { $0.member.contains("__MACOSX") })
        try expectValidRecords(outbox)

        let before = try recordFiles(outbox)
        let second = try runPipeline(inbox: Repo.inbox, outbox: outbox)
        #expect(second.releasesProcessed == 0)
        #expect(second.releasesUnchanged == 3)
        #expect(try recordFiles(outbox) == before, "a second run leaves the records byte-identical")
    }

    @Test func workerCountDoesNotChangeRecords() throws {
        let tmp = try TempDir()
        _ = try runPipeline(inbox: Repo.inbox, outbox: "\(tmp.path)/one", workers: 1)
        _ = try runPipeline(inbox: Repo.inbox, outbox: "\(tmp.path)/four", workers: 4)
        let one = try recordFiles("\(tmp.path)/one")
        #expect(!one.isEmpty)
        #expect(one == (try recordFiles("\(tmp.path)/four")))
    }

    @Test func tarGzDocumentsCarryTitleTextAndEntities() throws {
        let tmp = try TempDir()
        let outbox = "\(tmp.path)/Outbox"
        _ = try runPipeline(inbox: Repo.inbox, outbox: outbox)
        let all = try records(outbox)
        let page = try #require(all.first { $0.member == "oip-and-federal-register/oip-100512.html" })
        #expect(page.source["release"] as? String == "oip-news-and-federal-register.tar.gz")
        #expect(page.source["media_type"] as? String == "text/html")
        #expect(page.text.contains("Given the level of interest in the FOIA Best Practices Working Group"))
        #expect(page.entities("agencies").contains { ($0["acronym"] as? String) == "OIP" })
        #expect(page.entities("dates").contains { ($0["value"] as? String) == "2010-06-15" })
        #expect(page.entities("programs").contains { ($0["name"] as? String)?.contains("Best Practices Working Group") == true })
        #expect(page.entities("counts").contains { ($0["value"] as? Double) == 40 })

        let rule = try #require(all.first { $0.member == "oip-and-federal-register/04-16753.xml" })
        #expect(rule.source["media_type"] as? String == "application/xml")
        #expect(rule.text.contains("Elimination of Credit Cards as Payment for Replenishing Deposit Accounts"))
        #expect(rule.entities("agencies").contains { ($0["name"] as? String)?.contains("Patent and Trademark Office") == true })
    }

    @Test func zipMembersAreAccountedForInTheLedger() throws {
        let tmp = try TempDir()
        let outbox = "\(tmp.path)/Outbox"
        _ = try runPipeline(inbox: Repo.inbox, outbox: outbox)
        let ledger = try Ledger(path: "\(outbox)/ledger.sqlite")
        let rows = try ledger.items(release: "2013-FOIASetFull.zip")
        let unpack = rows.filter { $0.stage == "unpack" }
        #expect(unpack.filter { $0.status == "done" }.count == 99)
        #expect(unpack.filter { $0.status == "skipped" && $0.kind == "resource-fork" }.count > 0)
        #expect(rows.filter { $0.stage == "write" && $0.status == "done" }.count == 99)
    }

    @Test func removedReleaseLosesItsRecords() throws {
        let tmp = try TempDir()
        let inbox = try tmp.folder("Inbox", copying: ["\(Repo.inbox)/BILLSTATUS-114hr1155.xml",
                                                      "\(Repo.inbox)/oip-news-and-federal-register.tar.gz"])
        let outbox = "\(tmp.path)/Outbox"
        _ = try runPipeline(inbox: inbox, outbox: outbox)
        #expect(try recordFiles(outbox).keys.contains("BILLSTATUS-114hr1155.xml.ndjson"))
        try FileManager.default.removeItem(atPath: "\(inbox)/BILLSTATUS-114hr1155.xml")
        let report = try runPipeline(inbox: inbox, outbox: outbox)
        #expect(report.releasesRemoved == ["BILLSTATUS-114hr1155.xml"])
        #expect(try recordFiles(outbox).keys.sorted() == ["oip-news-and-federal-register.tar.gz.ndjson"])
    }
}
