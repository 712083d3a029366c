import Synchronization

/// Tells a worker to drain: claim nothing more, finish the units in hand, then return (SIGTERM).
public final class WorkerControl: Sendable {
    private let stopping = Mutex(false)
    private let onLost: (@Sendable (String) -> Void)?

    /// `onLost` is called (from the heartbeat) with the reason when the ledger stayed lost past
    /// `ledger.retry_seconds`: the command line prints it and exits 3 at once, whatever the stage
    /// workers are waiting on. Without it the worker stops at its next claim.
    public init(onLost: (@Sendable (String) -> Void)? = nil) {
        self.onLost = onLost
    }

    func lost(_ reason: String) { onLost?(reason) }

    /// Asks the worker to drain; safe from any thread, any number of times.
    public func stop() { stopping.withLock { $0 = true } }

    /// Whether a drain was asked for.
    public var isStopping: Bool { stopping.withLock { $0 } }
}

/// How a worker works through a shared ledger's queue.
public struct WorkerSettings: Sendable {
    /// Return once no unit is pending or in anyone's hands (else wait for more).
    public var exitWhenIdle: Bool
    /// Units claimed at once, so the stage pools never run dry while a release finishes (its
    /// records file renamed, its unit completed in the ledger). Two kept small releases apart by
    /// a whole pipeline's drain: a PostgreSQL run of the sample Inbox took 1.3x the SQLite one.
    public var unitsInHand: Int
    /// Seconds between looks at an empty queue.
    public var pollSeconds: Double

    public init(exitWhenIdle: Bool, unitsInHand: Int = 4, pollSeconds: Double = 0.2) {
        self.exitWhenIdle = exitWhenIdle
        self.unitsInHand = max(1, unitsInHand)
        self.pollSeconds = pollSeconds
    }
}
