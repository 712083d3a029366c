import SluiceCore
import SluiceLedger

/// A release being processed in this run.
final class ReleaseContext: Sendable {
    /// Path relative to the Inbox: the name records carry.
    let name: String
    /// Absolute path of the release file.
    let path: String
    let sha256: String
    let bytes: Int
    /// Attempts, by member, of items that were in flight when an earlier run died.
    let inFlight: [String: Int]
    /// For a re-run: which members restart and from which stage; nil in a run (every member, from unpack).
    let selection: RerunSelection?
    /// The unit of a shared ledger this release is, when a worker claimed it.
    let unit: WorkUnit?

    /// The unit when it is one shard of a release (its records go to a part, not the records file).
    var shard: WorkUnit? { unit.flatMap { $0.shards > 1 ? $0 : nil } }
    /// What the writer knows this release's records by: the unit's id for a shard, else the release's name.
    var writerKey: String { shard?.id ?? name }

    init(name: String, path: String, sha256: String, bytes: Int, inFlight: [String: Int] = [:],
         selection: RerunSelection? = nil, unit: WorkUnit? = nil) {
        self.name = name
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.inFlight = inFlight
        self.selection = selection
        self.unit = unit
    }
}

/// The members of a release that a re-run restarts, by position, and the record
/// lines the others keep, so the release's records file is rebuilt whole.
struct RerunSelection: Sendable {
    /// Position in the release -> the stage it restarts from (parse or extract).
    var restart: [Int: Stage]
    /// Position in the release -> the record lines it already has (newline included).
    var carried: [Int: [UInt8]]
}

/// One entry of a release on its way through the stages. Every entry, good or
/// bad, reaches the writer, so records are written in archive order.
struct WorkItem: Sendable {
    let release: ReleaseContext
    /// Position in the release (archive order).
    let sequence: Int
    let path: String
    var member: Member?
    var sha256 = ""
    var bytes = 0
    var documents: [ParsedDocument] = []
    /// The item's records, serialized (made by the extract stage, or by a child process in parse).
    var lines: RecordLines?
    var updates: [ItemUpdate] = []
    /// Uncompressed bytes, for throughput figures.
    var inputBytes = 0
    /// Attempts made in earlier runs that died while this item was in flight.
    var priorAttempts = 0
    /// Attempts of this run that ended without a result: a timeout, or a child process that died.
    var retries = 0
    /// Record lines kept as they were (a re-run that does not touch this member).
    var carriedLines: [UInt8] = []
    /// The first stage this item goes through in this run: earlier stages' rows are left as they are.
    var fromStage = Stage.unpack

    /// The number of the attempt now being made.
    var attempt: Int { priorAttempts + retries + 1 }

    init(release: ReleaseContext, sequence: Int, path: String, member: Member? = nil) {
        self.release = release
        self.sequence = sequence
        // Refused names may hold control bytes: store and print them escaped.
        self.path = path.escapingControlCharacters
        self.member = member
    }

    /// What its records say about its source.
    var source: DocumentSource { DocumentSource(release: release.name, member: path, sha256: sha256, bytes: bytes) }

    mutating func note(_ stage: Stage, _ status: ItemStatus, mediaType: String? = nil, error: SluiceError? = nil) {
        guard stage >= fromStage else { return }
        updates.append(ItemUpdate(release: release.name, member: path, stage: stage, status: status,
                                  mediaType: mediaType, error: error, attempts: attempt, sequence: sequence,
                                  sha256: sha256.isEmpty ? nil : sha256))
    }
}

/// What the writer receives: an item, or the news that a release has no more.
enum WriterInput: Sendable {
    case item(WorkItem)
    /// Unpacking ended before position `total` (the release's entry count; for a shard, the end of
    /// its positions); `error` if the release as a whole failed.
    case end(ReleaseContext, total: Int, error: SluiceError?)
}
