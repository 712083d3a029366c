import Foundation
public import Logging
public import SluiceCore
import SluiceLedger

/// What `sluice rerun` is asked to do.
public struct RerunRequest: Sendable {
    /// Re-run failed and quarantined items from the stage where they failed.
    public var failedOnly = false
    /// Re-run this stage and the ones after it.
    public var stage: Stage?
    public var release: String?
    public var mediaType: String?

    public init(failedOnly: Bool = false, stage: Stage? = nil, release: String? = nil, mediaType: String? = nil) {
        self.failedOnly = failedOnly
        self.stage = stage
        self.release = release
        self.mediaType = mediaType
    }
}

/// Which items a re-run would touch and from which stage.
public struct RerunPlan: Sendable {
    public struct Entry: Sendable, Equatable {
        public var release: String
        public var member: String
        /// The entry's position in its release.
        public var sequence: Int
        public var from: Stage
    }

    /// Items re-run from parse or extract, reusing the work area's cached outputs.
    public var entries: [Entry] = []
    /// Releases unpacked again from the Inbox (an unpack stage re-run, or a cache that is gone).
    public var wholeReleases: [String] = []

    public var isEmpty: Bool { entries.isEmpty && wholeReleases.isEmpty }
}

/// `sluice rerun`: one stage and the ones after it, for a chosen set of items,
/// starting from the cached outputs of the stages before it.
public final class Rerun: Sendable {
    let run: PipelineRun

    public init(options: RunOptions, logger: Logger) {
        run = PipelineRun(options: options, logger: logger)
    }

    var options: RunOptions { run.options }

    /// The plan, without changing anything (`--dry-run`).
    public func plan(_ request: RerunRequest) throws -> RerunPlan {
        let ledger: Ledger
        do { ledger = try Ledger(path: options.ledgerPath) } catch { throw RunError("\(error)") }
        let processor = try DocumentProcessor(config: options.config)
        return try plan(request, ledger: ledger, parserKey: processor.parserKey)
    }

    func plan(_ request: RerunRequest, ledger: Ledger, parserKey: String) throws -> RerunPlan {
        let work = WorkArea(outbox: options.outbox)
        var plan = RerunPlan()
        var whole = Set<String>()
        let rows = try ledger.itemRows(release: request.release)
        // One entry of a release is one (release, position): two entries may share a name.
        let byMember = Dictionary(grouping: rows, by: { "\($0.release)\u{0}\($0.sequence)\u{0}\($0.member)" })
        let groups = byMember.values.sorted { ($0[0].release, $0[0].sequence) < ($1[0].release, $1[0].sequence) }
        for group in groups {
            guard let first = group.first else { continue }
            if let wanted = request.mediaType, !group.contains(where: { $0.mediaType == wanted }) { continue }
            let from: Stage
            if request.failedOnly {
                guard let failed = group.filter({ $0.status == .failed || $0.status == .quarantined }).map(\.stage).min() else { continue }
                from = failed
            } else if let stage = request.stage {
                // Parse restarts from unpacked bytes; extract (and write, whose input is extract's) from parse output.
                let needed: Stage? = stage == .unpack ? nil : (stage == .parse ? .unpack : .parse)
                if let needed, !group.contains(where: { $0.stage == needed && $0.status == .done }) { continue }
                from = stage
            } else {
                continue
            }
            let sha = group.compactMap(\.sha256).first
            if first.member.isEmpty || first.sequence < 0 || from == .unpack {
                whole.insert(first.release)
                continue
            }
            let cached: Bool
            switch from {
            case .parse: cached = sha.map { work.hasMember(sha256: $0) } ?? false
            default: cached = sha.map { work.hasParsed(sha256: $0, parserKey: parserKey) } ?? false
            }
            if cached {
                plan.entries.append(.init(release: first.release, member: first.member, sequence: first.sequence,
                                          from: from == .write ? .extract : from))
            } else {
                whole.insert(first.release)
            }
        }
        plan.wholeReleases = whole.sorted()
        plan.entries.removeAll { whole.contains($0.release) }
        return plan
    }

    /// Carries out the plan; the report counts what was re-run.
    public func execute(_ request: RerunRequest) throws -> RunReport {
        try run.withOutbox { ledger, processor, report in
            let plan = try plan(request, ledger: ledger, parserKey: processor.parserKey)
            let byRelease = Dictionary(grouping: plan.entries, by: \.release)
            let writer = run.makeWriter(ledger: ledger, runID: report.runID, initialDeletions: [],
                                        total: byRelease.count + plan.wholeReleases.count)
            report.releasesProcessed = byRelease.count + plan.wholeReleases.count
            if plan.isEmpty { return writer }
            let work = WorkArea(outbox: options.outbox)
            let graph = StageGraph(config: options.config, processor: processor, writer: writer, ledger: ledger, work: work,
                                   logger: run.logger)
            for name in plan.wholeReleases {
                let path = "\(options.inbox)/\(name)"
                guard FileManager.default.fileExists(atPath: path) else {
                    run.logger.error("release is no longer in the Inbox; run `sluice run`", metadata: ["sluice.release": "\(name)"])
                    continue
                }
                let digest = try ReleaseDiscovery.sha256(ofFile: path)
                let key = run.releaseKey(sha256: digest.hex)
                try ledger.beginRelease(name: name, key: key, sha256: digest.hex, bytes: digest.bytes)
                graph.unpackPool.input.push(ReleaseContext(name: name, path: path, sha256: digest.hex, bytes: digest.bytes))
            }
            for name in byRelease.keys.sorted() {
                try feed(release: name, entries: byRelease[name] ?? [], ledger: ledger, processor: processor, work: work, graph: graph)
            }
            graph.finish()
            writer.flushLedger()
            return writer
        }
    }

    /// Sends a release's members down again in archive order: chosen ones from their
    /// restart stage with cached input, the others as the record lines they already have.
    private func feed(release name: String, entries: [RerunPlan.Entry], ledger: Ledger, processor: DocumentProcessor,
                      work: WorkArea, graph: StageGraph) throws {
        let rows = try ledger.itemRows(release: name)
        guard let state = try ledger.release(named: name) else { return }
        try ledger.reopenRelease(name: name)
        let release = ReleaseContext(name: name, path: "\(options.inbox)/\(name)", sha256: state.sha256, bytes: 0)
        let chosen = Dictionary(entries.map { ($0.sequence, $0.from) }, uniquingKeysWith: { a, _ in a })
        var members: [Int: ItemRow] = [:]
        for row in rows where row.sequence >= 0 { members[row.sequence] = members[row.sequence] ?? row }
        let lines = RecordWriter.recordLines(inFile: RecordWriter.recordsPath(recordsDir: options.recordsDir, release: name))
        let total = (members.keys.max() ?? -1) + 1
        for sequence in 0..<total {
            guard let row = members[sequence] else { continue }
            var item = WorkItem(release: release, sequence: sequence, path: row.member)
            guard let from = chosen[sequence], let sha = rows.first(where: { $0.sequence == sequence && $0.sha256 != nil })?.sha256 else {
                // Only the entry that wrote the member's records carries them (a duplicate name did not).
                let wrote = rows.contains { $0.sequence == sequence && $0.stage == .write && $0.status == .done }
                item.carriedLines = wrote ? lines[row.member] ?? [] : []
                graph.writePool.input.push(.item(item))
                continue
            }
            item.fromStage = from
            item.sha256 = sha
            switch from {
            case .parse:
                let bytes = work.member(sha256: sha) ?? []
                item.bytes = bytes.count
                item.member = Member(release: name, path: row.member, data: bytes)
                graph.parsePool.input.push(item)
            default:
                item.documents = work.parsed(sha256: sha, parserKey: processor.parserKey) ?? []
                item.bytes = work.memberSize(sha256: sha)
                graph.extractPool.input.push(item)
            }
        }
        graph.writePool.input.push(.end(release, total: total, error: nil))
    }
}
