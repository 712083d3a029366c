#if canImport(Glibc)
import Glibc
#endif
import SluiceCore

/// Runs a helper program (poppler's pdftotext, pdfinfo, pdftoppm; tesseract) as a
/// supervised child: input on its stdin, output from its stdout, under a wall-clock
/// deadline, an address-space limit and an output cap. The child gets no files:
/// it reads the document from a pipe and writes to a pipe, so nothing is written
/// outside the Outbox and a hostile document costs at most the child.
public struct ChildProcess: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        /// The signal that ended the child, if one did.
        public var signal: Int32?
        public var stdout: [UInt8]
        public var stderr: String
        public var timedOut: Bool
        public var outputCapped: Bool
    }

    /// The program and its arguments (`argv[0]` is looked up in /usr/bin, /bin, /usr/local/bin).
    public var arguments: [String]
    public var seconds: Double
    /// RLIMIT_AS for the child, in bytes (through util-linux's `prlimit`, when it is there).
    public var memoryBytes: Int
    public var maxOutputBytes: Int

    public init(arguments: [String], seconds: Double, memoryBytes: Int, maxOutputBytes: Int) {
        self.arguments = arguments
        self.seconds = seconds
        self.memoryBytes = memoryBytes
        self.maxOutputBytes = maxOutputBytes
    }

    /// Whether `program` can be run here.
    public static func find(_ program: String) -> String? {
        for folder in ["/usr/bin", "/bin", "/usr/local/bin"] where access("\(folder)/\(program)", X_OK) == 0 {
            return "\(folder)/\(program)"
        }
        return nil
    }

    public func run(input: [UInt8]) throws -> Result {
        guard let program = arguments.first, let path = ChildProcess.find(program) else {
            throw SluiceError(.internal, "\(arguments.first ?? "?") is not installed (Debian: poppler-utils, tesseract-ocr)")
        }
        var argv = [path] + arguments.dropFirst()
        if let prlimit = ChildProcess.find("prlimit") {
            argv = [prlimit, "--as=\(memoryBytes)", "--"] + argv
        }
        let child: Subprocess
        do {
            child = try Subprocess.spawn(path: argv[0], arguments: Array(argv.dropFirst()),
                                         environment: ["PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", "OMP_THREAD_LIMIT=1"])
        } catch {
            throw SluiceError(.io, "cannot start \(program): \(error)")
        }
        let exchange = child.exchange(input, closeInput: true, deadline: Subprocess.now() + seconds,
                                      maxOutput: maxOutputBytes)
        let timedOut = exchange.outcome == .timedOut, capped = exchange.outcome == .capped
        if timedOut || capped { child.kill() }
        let end = child.wait()
        return Result(status: end.status ?? -1, signal: end.signal, stdout: exchange.stdout,
                      stderr: String(decoding: exchange.stderr, as: UTF8.self), timedOut: timedOut, outputCapped: capped)
    }
}
