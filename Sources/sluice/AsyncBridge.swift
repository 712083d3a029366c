import Dispatch
import Logging
import Synchronization

/// Runs asynchronous library work (PostgreSQL) to completion from the synchronous command line.
func runToCompletion<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = AsyncOutcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do {
            let value = try await body()
            outcome.result.withLock { $0 = .success(value) }
        } catch {
            outcome.result.withLock { $0 = .failure(error) }
        }
        done.signal()
    }
    done.wait()
    return try (outcome.result.withLock { $0 } ?? .failure(CancellationError())).get()
}

/// Where the task leaves its result for the waiting thread.
private final class AsyncOutcome<T: Sendable>: Sendable {
    let result = Mutex<Result<T, any Error>?>(nil)
}

/// A logger for the PostgreSQL client in commands that do not bootstrap logging: warnings and
/// errors on standard error, the client's own debug chatter dropped.
func warningLogger(_ label: String) -> Logger {
    Logger(label: label) { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .warning
        return handler
    }
}
