#if canImport(Glibc)
import Glibc
#endif
import SluiceCore
import Synchronization

/// Runs a helper program (poppler's pdftotext, pdfinfo, pdftoppm; tesseract) as a
/// supervised child: input on its stdin, output from its stdout, under a wall-clock
/// deadline, an address-space limit and an output cap. The child gets no files:
/// it reads the document from a pipe and writes to a pipe, so nothing is written
/// outside the Outbox and a hostile document costs at most the child.
struct ChildProcess {
    struct Result {
        var status: Int32
        /// The signal that ended the child, if one did.
        var signal: Int32?
        var stdout: [UInt8]
        var stderr: String
        var timedOut: Bool
        var outputCapped: Bool
    }

    /// The program and its arguments (`argv[0]` is looked up in /usr/bin, /bin, /usr/local/bin).
    var arguments: [String]
    var seconds: Double
    /// RLIMIT_AS for the child, in bytes (through util-linux's `prlimit`, when it is there).
    var memoryBytes: Int
    var maxOutputBytes: Int

    /// Whether `program` can be run here.
    static func find(_ program: String) -> String? {
        for folder in ["/usr/bin", "/bin", "/usr/local/bin"] where access("\(folder)/\(program)", X_OK) == 0 {
            return "\(folder)/\(program)"
        }
        return nil
    }

    private static let spawnLock = Mutex(())

    /// A dead child's pipe must not kill Sluice: writes to it fail with EPIPE instead.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    func run(input: [UInt8]) throws -> Result {
        ChildProcess.ignoreSIGPIPE
        guard let program = arguments.first, let path = ChildProcess.find(program) else {
            throw SluiceError(.internal, "\(arguments.first ?? "?") is not installed (Debian: poppler-utils, tesseract-ocr)")
        }
        var argv = [path] + arguments.dropFirst()
        if let prlimit = ChildProcess.find("prlimit") {
            argv = [prlimit, "--as=\(memoryBytes)", "--"] + argv
        }
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let environment: [String] = ["PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", "OMP_THREAD_LIMIT=1"]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for p in cArgs + cEnv { free(p) } }
        var pid: pid_t = 0
        // Pipes are made and marked close-on-exec under one lock with the spawn, so a child
        // started by another worker at the same moment never inherits this child's pipe ends
        // (which would keep them open and hide this child's end of output).
        let spawned: Int32 = ChildProcess.spawnLock.withLock { _ in
            guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { return -1 }
            for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            return posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        }
        for fd in [inPipe[0], outPipe[1], errPipe[1]] where fd >= 0 { close(fd) }
        guard spawned == 0 else {
            for fd in [inPipe[1], outPipe[0], errPipe[0]] where fd >= 0 { close(fd) }
            throw SluiceError(.io, "cannot start \(program) (error \(spawned))")
        }
        return exchange(pid: pid, input: input, stdin: inPipe[1], stdout: outPipe[0], stderr: errPipe[0])
    }

    /// Feeds stdin and drains stdout and stderr together (a child blocked on a full pipe
    /// while Sluice waits to write would deadlock), until both close or the deadline passes.
    private func exchange(pid: pid_t, input: [UInt8], stdin: Int32, stdout: Int32, stderr: Int32) -> Result {
        var result = Result(status: -1, signal: nil, stdout: [], stderr: "", timedOut: false, outputCapped: false)
        var errBytes: [UInt8] = []
        var written = 0
        var inFD = stdin, outFD = stdout, errFD = stderr
        _ = fcntl(inFD, F_SETFL, fcntl(inFD, F_GETFL) | O_NONBLOCK)
        if input.isEmpty { close(inFD); inFD = -1 }
        let deadline = ChildProcess.now() + seconds
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while outFD >= 0 || errFD >= 0 {
            let left = deadline - ChildProcess.now()
            if left <= 0 {
                result.timedOut = true
                break
            }
            var fds = [pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0), pollfd(fd: outFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 3, Int32(min(left, 1) * 1000))
            if ready < 0, errno != EINTR { break }
            if inFD >= 0, fds[0].revents != 0 {
                let n = input.withUnsafeBytes { raw in
                    // Invariant: written < raw.count, so the pointer and length stay inside the input buffer.
                    write(inFD, raw.baseAddress.map { $0 + written }, raw.count - written)
                }
                if n > 0 { written += n }
                if n < 0, errno != EAGAIN, errno != EINTR { written = input.count }  // EPIPE: the child stopped reading
                if written >= input.count { close(inFD); inFD = -1 }
            }
            for (slot, isOut) in [(1, true), (2, false)] where fds[slot].revents != 0 {
                let fd = isOut ? outFD : errFD
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if isOut { result.stdout.append(contentsOf: chunk[0..<n]) } else if errBytes.count < 4096 { errBytes.append(contentsOf: chunk[0..<n]) }
                } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(fd)
                    if isOut { outFD = -1 } else { errFD = -1 }
                }
            }
            if result.stdout.count > maxOutputBytes {
                result.outputCapped = true
                break
            }
        }
        for fd in [inFD, outFD, errFD] where fd >= 0 { close(fd) }
        if result.timedOut || result.outputCapped { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFEXITED / WTERMSIG, spelled out (the C macros are not imported).
        if status & 0x7F == 0 {
            result.status = (status >> 8) & 0xFF
        } else {
            result.signal = status & 0x7F
        }
        result.stderr = String(decoding: errBytes, as: UTF8.self)
        return result
    }

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
