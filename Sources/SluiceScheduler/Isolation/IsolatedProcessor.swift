#if canImport(Glibc)
import Glibc
#endif
public import SluiceCore
import SluiceProcess
import Synchronization

/// The program a parse child runs.
public struct ChildCommand: Sendable, Equatable {
    /// An absolute path.
    public var executable: String
    public var arguments: [String]

    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// The running `sluice` executable itself, in its hidden worker mode (`sluice _child`):
    /// `/proc/self/exe` names it even if the file was replaced since the run started.
    public static let sluice = ChildCommand(executable: "/proc/self/exe", arguments: ["_child"])
}

/// A parse child died (or was killed) on a document: not a verdict on the document itself, so
/// the scheduler tries it again in a fresh child until its attempts run out.
struct ChildDied: Error {
    var error: SluiceError
}

/// Parse and extract in supervised child processes (`isolation: process`): each member goes to
/// an idle child over a pipe, which parses it, extracts its entities and sends back its record
/// lines (so the records are the very bytes `isolation: none` writes). A child that dies on a
/// member (a signal, its memory limit, its CPU limit) or outlives the stage's timeout is killed
/// and replaced at once, and the member fails with `ChildDied` (`crashed` with the signal named,
/// `out-of-memory`, or `timeout`) for the scheduler to retry or quarantine.
///
/// Children are started as workers need them and kept while they are healthy, so a run starts
/// about as many as it has parse workers; they end (killed, reaped) with this object.
public final class IsolatedProcessor: DocumentProcessing {
    private let config: PipelineConfig
    private let command: ChildCommand
    private let hello: [UInt8]
    private let idle = Mutex<[Subprocess]>([])
    /// Children started by `launchChildren` that have not yet said they are ready.
    private let launched = Mutex<[Subprocess]>([])

    /// Extra seconds a child gets past the parse stage's timeout, so that the stage's watchdog
    /// (which retries or quarantines the item) normally decides before the child is killed.
    static let grace = 0.5

    public init(config: PipelineConfig, command: ChildCommand) {
        self.config = config
        self.command = command
        var payload = FrameWriter(kind: ChildFrame.hello)
        payload.string(ChildFrame.magic)
        payload.uint64(UInt64(max(0, config.isolation.memoryBytes)))
        payload.uint32(UInt32(clamping: config.isolation.cpuSeconds))
        payload.string(config.yaml)
        hello = payload.finished()
    }

    public func parse(_ member: Member, source: DocumentSource) throws -> ParseOutput {
        let child = try idle.withLock { $0.popLast() } ?? start()
        let frame = ChildFrame.memberFrame(release: source.release, path: source.member, sha256: source.sha256,
                                           dataCount: member.data.count)
        let seconds = config.parseStage.timeout
        let reply = child.exchange(pieces: [frame.head, member.data, frame.tail], closeInput: false,
                                   deadline: Subprocess.now() + seconds + IsolatedProcessor.grace, maxOutput: ChildFrame.maxPayload,
                                   until: IsolatedProcessor.holdsFrame)
        guard reply.outcome == .complete else {
            if reply.outcome != .closed { child.kill() }
            let end = child.wait()
            replace()
            if reply.outcome == .timedOut {
                throw ChildDied(error: SluiceError(.timeout, "took longer than \(PipelineConfig.number(seconds)) s in parse",
                                                   item: member.path))
            }
            throw ChildDied(error: death(end, stderr: reply.stderr, item: member.path))
        }
        do {
            let output = try IsolatedProcessor.decode(reply.stdout, item: member.path)
            idle.withLock { $0.append(child) }
            return output
        } catch let error as ChildProtocolError {
            child.kill()
            child.wait()
            replace()
            throw ChildDied(error: SluiceError(.crashed, "the parse child sent a malformed reply (\(error))", item: member.path))
        } catch {
            // The child reported the document's own failure (no text, malformed, over a limit) and waits for the
            // next one. Dropped here, it was killed and a new one started for the next document: a process start
            // and a gazetteer load per failing document, on the parse worker's time.
            idle.withLock { $0.append(child) }
            throw error
        }
    }

    public var parsesElsewhere: Bool { true }

    /// Never called with documents: this processor's parse makes the records itself.
    public func extract(_ documents: [ParsedDocument], source: DocumentSource) -> [Record] { [] }

    /// The reply to a member: its record lines, or the failure the child reported.
    static func decode(_ bytes: [UInt8], item: String) throws -> ParseOutput {
        guard let frame = try ChildFrame.complete(in: bytes), frame.payload.upperBound == bytes.count else {
            throw ChildProtocolError("an incomplete frame, or more than one")
        }
        var reader = FrameReader(bytes, frame.payload)
        switch frame.kind {
        case ChildFrame.records:
            let mediaType = try reader.string()
            let count = Int(try reader.uint32())
            return .records(RecordLines(mediaType: mediaType.isEmpty ? nil : mediaType, count: count, bytes: try reader.data()))
        case ChildFrame.failure:
            let code = try reader.string(), message = try reader.string(), item = try reader.string()
            throw SluiceError(SluiceError.Code(rawValue: code), message, item: item.isEmpty ? nil : item)
        default:
            throw ChildProtocolError("a frame of unknown kind \(frame.kind)")
        }
    }

    /// Whether `output` holds a whole frame (or one too large to wait for).
    static func holdsFrame(_ output: [UInt8]) -> Bool {
        do { return try ChildFrame.complete(in: output) != nil } catch { return true }
    }

    /// Why a child ended without replying, as the item's failure.
    func death(_ end: Termination, stderr: [UInt8], item: String) -> SluiceError {
        if end.status == ChildFrame.outOfMemoryStatus {
            return SluiceError(.outOfMemory, "the parse child ran out of memory: the document needs more than "
                               + "\(PipelineConfig.size(config.isolation.memoryBytes)) (parse.memory_limit)", item: item)
        }
        if end.signal == SIGXCPU {
            return SluiceError(.timeout, "the parse child used more than \(config.isolation.cpuSeconds) s of CPU "
                               + "(parse.cpu_limit)", item: item)
        }
        let said = String(decoding: stderr, as: UTF8.self).split(separator: "\n").first.map { " (\($0))" } ?? ""
        if let signal = end.signal {
            return SluiceError(.crashed, "the parse child died with \(Termination.name(ofSignal: signal))\(said)", item: item)
        }
        return SluiceError(.crashed, "the parse child ended (\(end)) without replying\(said)", item: item)
    }

    /// Starts a child per parse worker now, side by side, and waits until they are ready: throws
    /// when children cannot start at all (the run's problem, not each document's).
    public func warmUp() throws {
        try launchChildren()
        try prepare()
    }

    /// Starts a child per parse worker, side by side, without waiting for them to be ready (each
    /// reads the pipeline and loads its gazetteers, about 12 ms): `prepare` waits.
    public func launchChildren() throws {
        let children = try (0..<max(1, config.parseStage.workers)).map { _ in try launch() }
        launched.withLock { $0.append(contentsOf: children) }
    }

    /// Waits until the launched children are ready and makes them idle; throws (a `RunError`) for one
    /// that does not start.
    public func prepare() throws {
        let children = launched.withLock { list in
            defer { list.removeAll() }
            return list
        }
        do {
            for child in children { try awaitReady(child) }
        } catch {
            throw RunError("\(error)")
        }
        idle.withLock { $0.append(contentsOf: children) }
    }

    /// Ends the idle children, and launched ones never waited for (a run with nothing to do): each reads
    /// end of input and exits; all are reaped before this returns
    /// (so their CPU time counts as the run's). Children still working are ended as they come back.
    public func shutdown() {
        let children = (launched.withLock { list in
            defer { list.removeAll() }
            return list
        }) + idle.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for child in children { child.closeInput() }
        for child in children { child.wait() }
    }

    deinit { shutdown() }

    /// A fresh child in place of one that died, started at once.
    private func replace() {
        if let child = try? start() { idle.withLock { $0.append(child) } }
    }

    /// Starts a child and waits for it to say it is ready.
    private func start() throws -> Subprocess {
        let child = try launch()
        try awaitReady(child)
        return child
    }

    /// Starts a child and sends it the hello (the pipeline and limits), without waiting for its reply.
    private func launch() throws -> Subprocess {
        let child: Subprocess
        do {
            child = try Subprocess.spawn(path: command.executable, arguments: command.arguments,
                                         environment: ["PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8"])
        } catch {
            throw SluiceError(.internal, "cannot start a parse child (\(command.executable)): \(error)")
        }
        _ = child.exchange(hello, closeInput: false, deadline: Subprocess.now() + 60, maxOutput: 1 << 16, until: { _ in true })
        return child
    }

    /// Waits for a launched child's ready frame; a child that does not send it is killed.
    private func awaitReady(_ child: Subprocess) throws {
        let reply = child.exchange([], closeInput: false, deadline: Subprocess.now() + 60, maxOutput: 1 << 16,
                                   until: IsolatedProcessor.holdsFrame)
        if reply.outcome == .complete, let frame = try? ChildFrame.complete(in: reply.stdout), frame.kind == ChildFrame.ready {
            var reader = FrameReader(reply.stdout, frame.payload)
            if (try? reader.string()) == ChildFrame.magic { return }
        }
        child.kill()
        let said = String(decoding: reply.stderr, as: UTF8.self).split(separator: "\n").prefix(3).joined(separator: "; ")
        throw SluiceError(.internal, "the parse child \(command.executable) did not start (\(child.wait()))"
                          + (said.isEmpty ? "" : ": \(said)"))
    }
}
