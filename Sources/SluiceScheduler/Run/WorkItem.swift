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

    init(name: String, path: String, sha256: String, bytes: Int) {
        self.name = name
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
    }
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
    var records: [Record] = []
    var updates: [ItemUpdate] = []
    /// Uncompressed bytes, for throughput figures.
    var inputBytes = 0

    init(release: ReleaseContext, sequence: Int, path: String, member: Member? = nil) {
        self.release = release
        self.sequence = sequence
        self.path = path
        self.member = member
    }

    mutating func note(_ stage: Stage, _ status: ItemStatus, mediaType: String? = nil, error: SluiceError? = nil) {
        updates.append(ItemUpdate(release: release.name, member: path, stage: stage, status: status,
                                  mediaType: mediaType, error: error))
    }
}

/// What the writer receives: an item, or the news that a release has no more.
enum WriterInput: Sendable {
    case item(WorkItem)
    /// Unpacking ended after `total` entries; `error` if the release as a whole failed.
    case end(ReleaseContext, total: Int, error: SluiceError?)
}
