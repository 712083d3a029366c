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

    /// Items re-run from parse or extract; their release is read again from the Inbox.
    public var entries: [Entry] = []
    /// Releases unpacked again from the Inbox as a whole (an unpack stage re-run).
    public var wholeReleases: [String] = []

    public var isEmpty: Bool { entries.isEmpty && wholeReleases.isEmpty }
}

/// `sluice rerun`: one stage and the ones after it, for a chosen set of items.
///
/// There is no cache of stage outputs: a re-run reads the release again from
/// the Inbox (its SHA-256 must still be the one in the ledger; a changed
/// release is a new run), sends the chosen members from their restart stage
/// and carries the others' record lines, so the records file is rebuilt whole.
/// Earlier stages are redone silently where needed (an extract re-run parses
/// again) and their ledger rows are left as they are.
public final class Rerun: Sendable {
    let run: PipelineRun

    public init(options: RunOptions, logger: Logger, processing: (any DocumentProcessing)? = nil) {
        run = PipelineRun(options: options, logger: logger, processing: processing)
    }

    var options: RunOptions { run.options }

    /// The plan, without changing anything (`--dry-run`).
    public func plan(_ request: RerunRequest) throws -> RerunPlan {
        let ledger = try PipelineRun.openLedger(options, logger: run.logger)
        defer { ledger.close() }
        return try plan(request, ledger: ledger)
    }

    func plan(_ request: RerunRequest, ledger: Ledger) throws -> RerunPlan {
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
                // Parse restarts members that were unpacked; extract (and write, whose input is extract's) parsed ones.
                let needed: Stage? = stage == .unpack ? nil : (stage == .parse ? .unpack : .parse)
                if let needed, !group.contains(where: { $0.stage == needed && $0.status == .done }) { continue }
                from = stage
            } else {
                continue
            }
            if first.member.isEmpty || first.sequence < 0 || from == .unpack {
                whole.insert(first.release)
                continue
            }
            plan.entries.append(.init(release: first.release, member: first.member, sequence: first.sequence,
                                      from: from == .write ? .extract : from))
        }
        plan.wholeReleases = whole.sorted()
        plan.entries.removeAll { whole.contains($0.release) }
        return plan
    }

    /// Carries out the plan; the report counts what was re-run.
    public func execute(_ request: RerunRequest) throws -> RunReport {
        try run.withOutbox { ledger, processor, marker, report in
            let plan = try plan(request, ledger: ledger)
            let byRelease = Dictionary(grouping: plan.entries, by: \.release)
            let writer = run.makeWriter(ledger: ledger, runID: report.runID, initialDeletions: [],
                                        total: byRelease.count + plan.wholeReleases.count)
            if plan.isEmpty { return writer }
            let graph = try StageGraph(config: options.config, processor: processor, writer: writer, progress: marker,
                                   logger: run.logger)
            for name in plan.wholeReleases {
                guard let (path, digest) = unchangedRelease(name, ledger: ledger) else { continue }
                let key = run.releaseKey(sha256: digest.hex)
                try ledger.beginRelease(name: name, key: key, sha256: digest.hex, bytes: digest.bytes)
                graph.unpackPool.input.push(ReleaseContext(name: name, path: path, sha256: digest.hex, bytes: digest.bytes))
                report.releasesProcessed += 1
            }
            for name in byRelease.keys.sorted() {
                guard let (path, digest) = unchangedRelease(name, ledger: ledger) else { continue }
                let selection = try selection(release: name, entries: byRelease[name] ?? [], ledger: ledger)
                try ledger.reopenRelease(name: name)
                graph.unpackPool.input.push(ReleaseContext(name: name, path: path, sha256: digest.hex, bytes: digest.bytes,
                                                           selection: selection))
                report.releasesProcessed += 1
            }
            graph.finish()
            writer.flushLedger()
            return writer
        }
    }

    /// The release's path and digest when it is still in the Inbox with the bytes the ledger knows; else nil, logged.
    private func unchangedRelease(_ name: String, ledger: Ledger) -> (String, (hex: String, bytes: Int))? {
        let path = "\(options.inbox)/\(name)"
        guard FileManager.default.fileExists(atPath: path), let digest = try? ReleaseDiscovery.sha256(ofFile: path) else {
            run.logger.error("release is no longer in the Inbox; run `sluice run`", metadata: ["sluice.release": "\(name)"])
            return nil
        }
        if let known = try? ledger.release(named: name), !known.sha256.isEmpty, known.sha256 != digest.hex {
            run.logger.error("release changed in the Inbox since it was processed; `sluice run` processes it anew",
                             metadata: ["sluice.release": "\(name)"])
            return nil
        }
        return (path, digest)
    }

    /// Which members restart from which stage, and the record lines every other member keeps.
    private func selection(release name: String, entries: [RerunPlan.Entry], ledger: Ledger) throws -> RerunSelection {
        let rows = try ledger.itemRows(release: name)
        let restart = Dictionary(entries.map { ($0.sequence, $0.from) }, uniquingKeysWith: { a, _ in a })
        let lines = RecordWriter.recordLines(inFile: options.layout.recordsFile(release: name))
        var carried: [Int: [UInt8]] = [:]
        // Only the entry that wrote a member's records carries them (a duplicate name did not).
        for row in rows where row.sequence >= 0 && row.stage == .write && row.status == .done && restart[row.sequence] == nil {
            carried[row.sequence] = lines[row.member] ?? []
        }
        return RerunSelection(restart: restart, carried: carried)
    }
}
