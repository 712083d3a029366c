import SluiceCore
@testable import SluiceUnpack

/// Runs one unpack of bytes held in memory and checks what every unpack must respect:
/// no document is over the member budget, the documents together are not over the total
/// budget, by more than one read buffer (`UnpackSession.chunkSize`) in either case; every
/// document path is reported once; every failure and skip says why.
public enum UnpackHarness {
    /// Where the bytes enter: the whole release (kind sniffed as for a real Inbox file) or one reader.
    public enum Entry: Sendable { case release, zip, tar, gzip }

    /// Budgets small enough that a fuzzer reaches them with small inputs.
    public static let budgets: UnpackBudgets = {
        var b = UnpackBudgets()
        b.maxTotalBytes = 8 << 20
        b.maxMemberBytes = 2 << 20
        b.ratioFloorBytes = 256 << 10
        b.maxEntries = 2000
        b.maxArchives = 32
        b.maxAttachments = 50
        return b
    }()

    public static func run(_ data: [UInt8], as entry: Entry) {
        let slack = Int64(UnpackSession.chunkSize)
        var documentBytes: Int64 = 0
        var documentPaths = Set<String>()
        let sink: (UnpackEvent) throws -> Void = { event in
            switch event {
            case .document(let member):
                let size = Int64(member.data.count)
                require(size <= budgets.maxMemberBytes + slack, "document \(member.path) is \(size) bytes, over the member budget")
                documentBytes += size
                require(documentBytes <= budgets.maxTotalBytes + slack, "documents total \(documentBytes) bytes, over the release budget")
                require(!member.path.isEmpty, "a document with an empty path")
                require(documentPaths.insert(member.path).inserted, "document path \(member.path) reported twice")
            case .skipped(let path, let reason):
                Check.error(reason, what: "skipped \(path)")
            case .failed(let path, let error):
                Check.error(error, what: "failed \(path)")
            }
        }
        let session = UnpackSession(budgets: budgets, release: "fuzz", sink: sink)
        let source = MemorySource(data)
        do {
            do {
                switch entry {
                case .release:
                    try Unpacker(budgets: budgets).unpackRelease(source: source, name: "release", session: session)
                case .zip:
                    try session.openArchive(.zip, source: source, archivePath: "a.zip", prefix: "", name: "a.zip", depth: 0)
                case .tar:
                    try session.openArchive(.tar, source: source, archivePath: "a.tar", prefix: "", name: "a.tar", depth: 0)
                case .gzip:
                    try session.openArchive(.gzip, source: source, archivePath: "a.gz", prefix: "", name: "a.gz", depth: 0)
                }
            } catch let abort as ReleaseAbort {
                try session.fail(abort.path, abort.error)
            }
        } catch {
            // Readers report every problem as an event; only the sink's own errors may leave `unpack`.
            require(false, "unpack threw instead of reporting: \(error)")
        }
        require(session.totalBytes <= budgets.maxTotalBytes + slack, "the session counted \(session.totalBytes) bytes, over the release budget")
    }
}
