import Foundation
import SluiceCore

/// One run per Outbox: an exclusive `flock` on `Outbox/.sluice.lock`, which
/// holds the holder's pid and start time for the message a second run prints.
public final class OutboxLock: Sendable {
    private let fd: Int32

    /// Takes the lock, or throws `.locked` naming the holder.
    public init(outbox: Outbox) throws(OutboxError) {
        let path = outbox.lockFile
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutboxError(.io, "cannot open the lock file", path: path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = pread(fd, &buffer, 255, 0)
            let holder = n > 0 ? String(decoding: buffer.prefix(n), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown"
            close(fd)
            throw OutboxError(.locked, "another sluice run holds the Outbox \(outbox.root) (\(holder)); wait for it to finish or stop it")
        }
        let me = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since \(Timestamp.now())\n"
        _ = ftruncate(fd, 0)
        _ = me.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// Lets the next run in.
    public func release() {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
