#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SluiceCore

/// The child side of process isolation: what `sluice _child` runs. It reads the parent's
/// pipeline and limits from the hello frame, puts itself under those limits, then parses and
/// extracts one member per request, replying with the member's record lines or its failure,
/// until its stdin closes.
///
/// A document that crashes the child, exhausts its memory or hangs it ends only this process;
/// the parent (`IsolatedProcessor`) sees how it ended and says why in the ledger.
public enum ChildServer {
    /// Serves the parent on stdin and stdout; returns the exit status. `makeProcessing` builds
    /// the work from the parent's pipeline: the pipeline's own `DocumentProcessor` in `sluice
    /// _child`; a test-only child wraps it to inject faults.
    public static func serve(
        makeProcessing: (PipelineConfig) throws -> any DocumentProcessing = { try DocumentProcessor(config: $0) }
    ) -> Int32 {
        _ = signal(SIGPIPE, SIG_IGN)
        // Replies go to a private copy of stdout; anything else that prints goes to stderr.
        let replies = dup(1)
        _ = dup2(2, 1)
        var input = FrameInput(fd: 0)
        let processing: any DocumentProcessing
        do {
            guard let (kind, payload) = try input.next(), kind == ChildFrame.hello else { return 2 }
            var reader = FrameReader(payload)
            guard try reader.string() == ChildFrame.magic else { return 2 }
            let memory = try reader.uint64()
            let cpu = try reader.uint32()
            let config = try PipelineConfig.parse(yaml: try reader.string(), file: "the parent's pipeline")
            processing = try makeProcessing(config)
            watchParent()
            installFaultHandlers()
            limit(RLIMIT_AS, to: memory)
            var ready = FrameWriter(kind: ChildFrame.ready)
            ready.string(ChildFrame.magic)
            guard send(ready.finished(), to: replies) else { return 2 }
            while var frame = try input.next() {
                guard frame.kind == ChildFrame.member else { return 2 }
                let (release, path, sha256) = try ChildFrame.takeMember(&frame.payload)
                let data = frame.payload
                limitCPU(seconds: cpu)
                // A stale ENOMEM must not make the next crash look like one of memory.
                errno = 0
                let reply = handle(Member(release: release, path: path, data: data),
                                   source: DocumentSource(release: release, member: path, sha256: sha256, bytes: data.count),
                                   processing: processing)
                guard send(reply, to: replies) else { return 0 }
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("sluice _child: \(error)\n".utf8))
            return 2
        }
    }

    /// One member's reply frame, in the pieces it is sent in: its records (the record lines in a
    /// piece of their own, not copied into the frame), or why it has none.
    static func handle(_ member: Member, source: DocumentSource, processing: any DocumentProcessing) -> [[UInt8]] {
        do {
            let lines: RecordLines
            switch try processing.parse(member, source: source) {
            case .documents(let documents):
                lines = RecordLines(processing.extract(documents, source: source), mediaType: documents.first?.mediaType.rawValue)
            case .records(let made):
                lines = made
            }
            var payload = FrameWriter(kind: ChildFrame.records)
            payload.string(lines.mediaType ?? "")
            payload.uint32(UInt32(clamping: lines.count))
            // The lines' field, length first, its bytes sent after the frame's head.
            payload.uint32(UInt32(clamping: lines.bytes.count))
            return [payload.finished(followedBy: lines.bytes.count), lines.bytes]
        } catch {
            let failure = error as? SluiceError ?? SluiceError(.internal, "\(error)", item: member.path)
            var payload = FrameWriter(kind: ChildFrame.failure)
            payload.string(failure.code.rawValue)
            payload.string(failure.message)
            payload.string(failure.item ?? "")
            return [payload.finished()]
        }
    }

    /// Writes all of each piece in turn; false once the parent is gone.
    static func send(_ pieces: [[UInt8]], to fd: Int32) -> Bool {
        pieces.allSatisfy { send($0, to: fd) }
    }

    /// Writes all of `bytes`; false once the parent is gone.
    static func send(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                // Invariant: written < raw.count, so the pointer and length stay inside the buffer.
                write(fd, raw.baseAddress.map { $0 + written }, raw.count - written)
            }
            if n > 0 {
                written += n
            } else if n < 0, errno != EINTR {
                return false
            }
        }
        return true
    }

    /// Sets a soft limit (the hard one stays, so the next document's CPU limit can be raised again).
    static func limit(_ resource: __rlimit_resource, to value: UInt64) {
        var current = rlimit()
        guard getrlimit(Int32(resource.rawValue), &current) == 0 else { return }
        current.rlim_cur = min(rlim_t(value), current.rlim_max)
        _ = setrlimit(Int32(resource.rawValue), &current)
    }

    /// RLIMIT_CPU counts the whole process's CPU time: each document gets `seconds` more than used so far.
    static func limitCPU(seconds: UInt32) {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return }
        let used = UInt64(max(0, usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)) + 1
        limit(RLIMIT_CPU, to: used + UInt64(seconds))
    }

    /// A failed allocation under RLIMIT_AS ends in a trap (Swift) or a fault (C) with errno left at
    /// ENOMEM: the child then exits with `outOfMemoryStatus`, so the parent can name the cause.
    /// Any other fatal signal is raised again with its default action, so the parent sees it.
    static func installFaultHandlers() {
        for number in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            _ = signal(number) { number in
                // Signal context: only async-signal-safe calls, and no Swift globals (their lazy
                // initialization is not safe here), so the status is the literal of outOfMemoryStatus.
                if errno == ENOMEM { _exit(86) }
                _ = signal(number, SIG_DFL)
                _ = raise(number)
            }
        }
    }

    /// A child outlives a parent killed with SIGKILL only until it notices: it checks every second.
    static func watchParent() {
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { sleep(1) }
            _exit(0)
        }
    }
}

/// Frames read from a descriptor, one at a time.
struct FrameInput {
    let fd: Int32
    /// Bytes read past the last frame returned (at most one small read's worth).
    private var pending: [UInt8] = []
    private var start = 0
    /// Where small reads land: a frame's header and short payloads come in one read of this size, and
    /// a long payload's bytes past it are read straight into the payload (see `next`).
    private var chunk = [UInt8](repeating: 0, count: 1 << 12)

    init(fd: Int32) { self.fd = fd }

    /// The next frame's kind and payload; nil at end of input. A member's bytes are read from the pipe
    /// into the payload itself: the payload is the one copy the child makes of them.
    mutating func next() throws(ChildProtocolError) -> (kind: UInt8, payload: [UInt8])? {
        guard let (kind, length) = try nextHeader() else { return nil }
        start += ChildFrame.headerSize
        let buffered = min(length, pending.count - start)
        var failure: ChildProtocolError?
        let payload = [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            // Invariant: `out` holds `length` bytes; the buffered bytes copied (at most `length`) and each read
            // (at most `length - filled`) stay inside it, and `initialized` counts exactly the bytes written.
            var filled = 0
            if buffered > 0, let base = out.baseAddress {
                pending.withUnsafeBufferPointer { source in
                    if let from = source.baseAddress { base.update(from: from + start, count: buffered) }
                }
                filled = buffered
            }
            while filled < length, let base = out.baseAddress {
                let n = Self.readRetrying(fd, base + filled, length - filled)
                if n <= 0 {
                    failure = n == 0 ? Self.endedInsideFrame : Self.readFailure()
                    break
                }
                filled += n
            }
            initialized = filled
        }
        if let failure { throw failure }
        start += buffered
        if start == pending.count {
            pending.removeAll(keepingCapacity: true)
            start = 0
        }
        return (kind, payload)
    }

    /// The next frame's header, reading as far as it takes; nil at the end of input between frames.
    private mutating func nextHeader() throws(ChildProtocolError) -> (kind: UInt8, length: Int)? {
        while true {
            if let header = try ChildFrame.header(in: pending, at: start) { return header }
            if try !fill() {
                if pending.count == start { return nil }
                throw Self.endedInsideFrame
            }
        }
    }

    /// One read into `pending`; false at end of input.
    private mutating func fill() throws(ChildProtocolError) -> Bool {
        // Invariant: the buffer holds chunk.count bytes and read writes at most that many.
        let fd = fd
        let n = chunk.withUnsafeMutableBytes { Self.readRetrying(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw Self.readFailure() }
        if n == 0 { return false }
        if start > 0 {
            pending.removeFirst(start)
            start = 0
        }
        pending.append(contentsOf: chunk[0..<n])
        return true
    }

    /// One read(2) of at most `count` bytes from `fd` into `base`, again when a signal interrupts it: the bytes
    /// read, 0 at end of input, -1 on an error (errno says which).
    private static func readRetrying(_ fd: Int32, _ base: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        while true {
            let n = read(fd, base, count)
            if n >= 0 || errno != EINTR { return n }
        }
    }

    private static var endedInsideFrame: ChildProtocolError { ChildProtocolError("the input ended inside a frame") }
    private static func readFailure() -> ChildProtocolError { ChildProtocolError("cannot read the input (errno \(errno))") }
}
