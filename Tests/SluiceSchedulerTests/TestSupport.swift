import Foundation
import Logging
import SluiceCore
import SluiceExport
import Synchronization
import Testing
@testable import SluiceScheduler

/// Paths in the repository (the corpus copies are `Fixtures` from SluiceTestSupport).
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let inbox = root.appendingPathComponent("Inbox").path
}

/// A temporary folder removed when the test ends.
final class TempDir {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sluice-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Copies files into a new folder `name` under this one.
    func folder(_ name: String, copying files: [String] = []) throws -> String {
        let dir = "\(path)/\(name)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for file in files {
            try FileManager.default.copyItem(atPath: file, toPath: "\(dir)/\((file as NSString).lastPathComponent)")
        }
        return dir
    }
}

/// Executables built beside the test bundle (`swift test` builds every target).
///
/// `SLUICE_TEST_CHILD_DIR` names another folder to take them from first: the sanitizer scripts
/// point it at a plain build, because a child under ThreadSanitizer or AddressSanitizer cannot
/// start inside its RLIMIT_AS (`parse.memory_limit`): the sanitizer's shadow memory alone
/// reserves terabytes of address space.
enum Built {
    static func executable(_ name: String) -> String {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bundleDir, bundleDir.deletingLastPathComponent()]
        if let dir = ProcessInfo.processInfo.environment["SLUICE_TEST_CHILD_DIR"], !dir.isEmpty {
            candidates.insert(URL(fileURLWithPath: dir), at: 0)
        }
        for candidate in candidates {
            let path = candidate.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return Repo.root.appendingPathComponent(".build/debug/\(name)").path
    }

    /// `sluice _child`, as `sluice run` starts it.
    static var sluiceChild: ChildCommand { ChildCommand(executable: executable("sluice"), arguments: ["_child"]) }

    /// The test-only child that crashes, exhausts memory or hangs on members named so.
    static func faultChild(signalDirectory: String = "/nonexistent") -> ChildCommand {
        ChildCommand(executable: executable("SluiceFaultChild"), arguments: [signalDirectory])
    }
}

/// Runs the pipeline as `sluice run` would.
func runPipeline(inbox: String, outbox: String, workers: Int? = nil,
                 configure: (inout PipelineConfig) -> Void = { _ in },
                 processing: ((PipelineConfig) throws -> any DocumentProcessing)? = nil)
    throws -> RunReport
{
    var config = try PipelineConfig.load(path: Repo.root.appendingPathComponent("Pipelines/default.yml").path)
    if let workers { config.setWorkers(workers) }
    configure(&config)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return try PipelineRun(options: RunOptions(inbox: inbox, outbox: outbox, config: config, child: Built.sluiceChild), logger: logger,
                           processing: try processing?(config)).execute()
}

/// Fault injection, in the test target only: the pipeline's own processor, except
/// that parsing the members named here never returns (a document that hangs its worker).
struct HangingProcessor: DocumentProcessing {
    let real: DocumentProcessor
    let hangs: Set<String>

    init(config: PipelineConfig, hangs: Set<String>) throws {
        real = try DocumentProcessor(config: config)
        self.hangs = hangs
    }

    func parse(_ member: Member, source: DocumentSource) throws -> ParseOutput {
        if hangs.contains(member.path) {
            while true { sleep(3600) }
        }
        return try real.parse(member, source: source)
    }

    func extract(_ documents: [ParsedDocument], source: DocumentSource) -> [Record] {
        real.extract(documents, source: source)
    }
}

/// The pipeline's own processor, noting the release of every member it is asked to parse, in order.
final class RecordingProcessor: DocumentProcessing, Sendable {
    private let real: DocumentProcessor
    private let releases = Mutex<[String]>([])

    init(config: PipelineConfig) throws { real = try DocumentProcessor(config: config) }

    var parsedReleases: [String] { releases.withLock { $0 } }

    func parse(_ member: Member, source: DocumentSource) throws -> ParseOutput {
        releases.withLock { $0.append(source.release) }
        return try real.parse(member, source: source)
    }

    func extract(_ documents: [ParsedDocument], source: DocumentSource) -> [Record] {
        real.extract(documents, source: source)
    }
}

/// Every record under `Outbox/records`, parsed, keyed by file.
func recordFiles(_ outbox: String) throws -> [String: Data] {
    let dir = "\(outbox)/records"
    var out: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: dir) else { return out }
    for case let name as String in walker where name.hasSuffix(".ndjson") {
        out[name] = FileManager.default.contents(atPath: "\(dir)/\(name)")
    }
    return out
}

/// The records of an Outbox as JSON objects.
func records(_ outbox: String) throws -> [[String: Any]] {
    var all: [[String: Any]] = []
    for (_, data) in try recordFiles(outbox).sorted(by: { $0.key < $1.key }) {
        for line in data.split(separator: UInt8(ascii: "\n")) {
            if let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] { all.append(object) }
        }
    }
    return all
}

extension Dictionary where Key == String, Value == Any {
    var source: [String: Any] { self["source"] as? [String: Any] ?? [:] }
    var member: String { source["member"] as? String ?? "" }
    var text: String { self["text"] as? String ?? "" }
    func entities(_ kind: String) -> [[String: Any]] {
        (self["entities"] as? [String: Any])?[kind] as? [[String: Any]] ?? []
    }
}

/// Every record in an Outbox must validate against `schema/record.schema.json`.
func expectValidRecords(_ outbox: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let all = try records(outbox)
    #expect(!all.isEmpty, sourceLocation: sourceLocation)
    for record in all {
        let errors = RecordSchema.validate(record)
        #expect(errors.isEmpty, "\(record.member): \(errors.prefix(3))", sourceLocation: sourceLocation)
    }
}

/// A value shared by a test's threads, behind an NSLock: ThreadSanitizer (`scripts/sanitize-thread`) follows pthread
/// locks, while it reported a `Synchronization.Mutex`'s value as raced between BoundedQueueTests' poppers.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
