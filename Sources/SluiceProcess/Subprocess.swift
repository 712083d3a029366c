#if canImport(Glibc)
import Glibc
#endif
import SluiceCore
import Synchronization

/// How a child process ended.
public struct Termination: Sendable, Equatable, CustomStringConvertible {
    /// The exit status, when the child exited.
    public var status: Int32?
    /// The signal that ended the child, when one did.
    public var signal: Int32?

    /// The signal's name (`SIGSEGV`), or `signal N` for one without a common name.
    public static func name(ofSignal number: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
            SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
            SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
        ]
        return names[number] ?? "signal \(number)"
    }

    public var description: String {
        if let signal { return "killed by \(Termination.name(ofSignal: signal))" }
        return "exit status \(status ?? -1)"
    }
}

/// A program started with posix_spawn, its stdin, stdout and stderr on pipes that belong to
/// Sluice alone. The one spawner in Sluice: the PDF helpers (`ChildProcess`) and the parse
/// children of process isolation both start theirs here.
///
/// The descriptors are closed and the child reaped (killed first, if it still runs) when the
/// object goes, so a caller that drops a child leaves neither a zombie nor an open pipe.
public final class Subprocess: Sendable {
    public let pid: Int32
    /// Sluice's ends of the child's stdin, stdout and stderr.
    public let stdin: Int32
    public let stdout: Int32
    public let stderr: Int32
    private let ended = Mutex<Termination?>(nil)
    private let inputOpen = Mutex(true)

    private init(pid: Int32, stdin: Int32, stdout: Int32, stderr: Int32) {
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }

    /// A program and its arguments (`path` absolute), with exactly `environment`.
    public static func spawn(path: String, arguments: [String], environment: [String]) throws -> Subprocess {
        ignoreSIGPIPE
        let argv = [path] + arguments
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        // Invariant: every non-nil pointer came from strdup above and is freed exactly once, here.
        defer { for p in cArgs + cEnv { free(p) } }
        var pid: pid_t = 0
        // Pipes are made and marked close-on-exec under one lock with the spawn, so a child
        // started by another worker at the same moment never inherits this child's pipe ends
        // (which would keep them open and hide this child's end of output).
        let spawned: Int32 = spawnLock.withLock { _ in
            guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { return errno }
            for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            // Nothing else of Sluice's reaches the child: a descriptor opened without
            // close-on-exec (a socket, a file of another worker) stays out of it.
            _ = addCloseFrom?(&actions, 3)
            // A child starts with every signal unblocked and at its default action: a Dispatch
            // thread blocks most signals and Sluice ignores SIGPIPE, and a child would inherit
            // both (with SIGXCPU blocked, RLIMIT_CPU would never stop it).
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t(), all = sigset_t()
            sigemptyset(&none)
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            return posix_spawn(&pid, path, &actions, &attributes, cArgs, cEnv)
        }
        for fd in [inPipe[0], outPipe[1], errPipe[1]] where fd >= 0 { close(fd) }
        guard spawned == 0 else {
            for fd in [inPipe[1], outPipe[0], errPipe[0]] where fd >= 0 { close(fd) }
            throw SluiceError(.io, "cannot start \(path) (error \(spawned))")
        }
        _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
        // A document and its records cross these pipes: at the default 64 KiB each side woke the other
        // every 64 KiB. Best effort: the system may cap the size (fs.pipe-max-size), which only costs speed.
        for fd in [inPipe[1], outPipe[0]] { _ = fcntl(fd, Subprocess.setPipeSize, Subprocess.pipeBytes) }
        return Subprocess(pid: pid, stdin: inPipe[1], stdout: outPipe[0], stderr: errPipe[0])
    }

    private static let spawnLock = Mutex(())
    /// The size asked for the stdin and stdout pipes: 1 MiB, Linux's default `fs.pipe-max-size`.
    static let pipeBytes: Int32 = 1 << 20
    /// Linux's F_SETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 7), which Glibc declares only under _GNU_SOURCE.
    static let setPipeSize: Int32 = 1031

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module
    /// does not import: looked up by name, nil where the C library lacks it.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        // Invariant: the symbol is glibc's function of this C signature (spawn.h:
        // int (posix_spawn_file_actions_t *, int)), so the cast only names its type.
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// A dead child's pipe must not kill Sluice: writes to it fail with EPIPE instead.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// What one `exchange` ended with.
    public enum Outcome: Sendable, Equatable {
        /// `until` said the output is complete.
        case complete
        /// The child closed its stdout and stderr (it exited, most likely).
        case closed
        case timedOut
        /// stdout passed `maxOutput` bytes.
        case capped
    }

    /// Writes `input` to the child's stdin while draining its stdout and stderr (a child
    /// blocked on a full pipe while Sluice waits to write would deadlock), until `until` says
    /// the stdout gathered so far is complete, both outputs close, or `deadline` (a
    /// `Subprocess.now()` time) passes. `closeInput` closes stdin once `input` is written
    /// (a one-shot tool reading to end of file); otherwise it stays open for the next exchange.
    public func exchange(_ input: [UInt8], closeInput: Bool, deadline: Double, maxOutput: Int,
                         until: ([UInt8]) -> Bool = { _ in false }) -> (outcome: Outcome, stdout: [UInt8], stderr: [UInt8]) {
        exchange(pieces: [input], closeInput: closeInput, deadline: deadline, maxOutput: maxOutput, until: until)
    }

    /// `exchange` with the input in pieces, written one after another (a large buffer is sent
    /// from where it is, not copied behind a small header first).
    public func exchange(pieces: [[UInt8]], closeInput: Bool, deadline: Double, maxOutput: Int,
                         until: ([UInt8]) -> Bool = { _ in false }) -> (outcome: Outcome, stdout: [UInt8], stderr: [UInt8]) {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        let input = pieces.filter { !$0.isEmpty }
        var piece = 0
        var written = 0 // of input[piece]
        var inFD = input.isEmpty ? -1 : stdin
        var outFD = stdout, errFD = stderr
        if closeInput, input.isEmpty { self.closeInput() }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var outcome = Outcome.closed
        while outFD >= 0 || errFD >= 0 {
            let left = deadline - Subprocess.now()
            if left <= 0 {
                outcome = .timedOut
                break
            }
            var fds = [pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0), pollfd(fd: outFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 3, Int32(min(left, 1) * 1000))
            if ready < 0, errno != EINTR { break }
            if inFD >= 0, fds[0].revents != 0 {
                let n = input[piece].withUnsafeBytes { raw in
                    // Invariant: written < raw.count (a piece is left once written, and none is empty), so the
                    // pointer and length stay inside the piece's buffer.
                    write(inFD, raw.baseAddress.map { $0 + written }, raw.count - written)
                }
                if n > 0 { written += n }
                if n < 0, errno != EAGAIN, errno != EINTR { piece = input.count }  // EPIPE: the child stopped reading
                if piece < input.count, written >= input[piece].count {
                    piece += 1
                    written = 0
                }
                if piece >= input.count {
                    if closeInput { self.closeInput() }
                    inFD = -1
                }
            }
            for (slot, isOut) in [(1, true), (2, false)] where fds[slot].revents != 0 {
                let fd = isOut ? outFD : errFD
                // Invariant: the buffer holds chunk.count bytes and read writes at most that many.
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if isOut { output.append(contentsOf: chunk[0..<n]) } else if errors.count < 4096 { errors.append(contentsOf: chunk[0..<n]) }
                } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                    // The pipe is the child's to close; the descriptor stays ours until deinit.
                    if isOut { outFD = -1 } else { errFD = -1 }
                }
            }
            if output.count > maxOutput {
                outcome = .capped
                break
            }
            if inFD < 0, until(output) {
                outcome = .complete
                break
            }
        }
        if closeInput, inFD >= 0 { self.closeInput() }
        return (outcome, output, errors)
    }

    /// Closes the child's stdin (it reads end of file), once.
    public func closeInput() {
        inputOpen.withLock { open in
            if open { close(stdin) }
            open = false
        }
    }

    /// Kills the child (SIGKILL), unless it was already reaped.
    public func kill() {
        ended.withLock { if $0 == nil { _ = Glibc.kill(pid, SIGKILL) } }
    }

    /// Waits for the child to end and reaps it (once; later calls return the same answer).
    @discardableResult
    public func wait() -> Termination {
        ended.withLock { ended in
            if let ended { return ended }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            // WIFEXITED / WTERMSIG, spelled out (the C macros are not imported).
            let result = status & 0x7F == 0 ? Termination(status: (status >> 8) & 0xFF, signal: nil)
                : Termination(status: nil, signal: status & 0x7F)
            ended = result
            return result
        }
    }

    deinit {
        closeInput()
        for fd in [stdout, stderr] { close(fd) }
        if ended.withLock({ $0 == nil }) {
            kill()
            wait()
        }
    }

    /// Seconds on the monotonic clock.
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
