import SluiceCore

/// Counts gathered while a run goes: what the run manifest and the progress line report.
public struct RunStats: Sendable {
    /// stage -> status -> count.
    public var byStage: [String: [String: Int]] = [:]
    /// media type -> documents.
    public var byMediaType: [String: Int] = [:]
    /// failure kind -> count.
    public var failuresByKind: [String: Int] = [:]
    public var records = 0
    public var documents = 0
    public var failed = 0
    public var skipped = 0
    public var inputBytes = 0
    public var releasesCompleted = 0

    mutating func count(stage: Stage, status: ItemStatus, mediaType: String?, kind: String?) {
        byStage[stage.rawValue, default: [:]][status.rawValue, default: 0] += 1
        if status == .failed || status == .quarantined {
            failed += 1
            failuresByKind[kind ?? "unknown", default: 0] += 1
        }
        if status == .skipped { skipped += 1 }
    }

    mutating func absorb(_ item: WorkItem) {
        for update in item.updates {
            count(stage: update.stage, status: update.status, mediaType: update.mediaType, kind: update.error?.code.rawValue)
        }
        if let mediaType = item.updates.first(where: { $0.mediaType != nil })?.mediaType {
            byMediaType[mediaType, default: 0] += 1
        }
        let made = item.lines?.count ?? 0
        if made > 0 { documents += 1 }
        records += made
        inputBytes += item.inputBytes
    }
}
