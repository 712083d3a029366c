import SluiceCore
import SluiceLedger
import Synchronization

/// Marks an item running in the ledger just before a stage starts work on it,
/// so a document that kills the process is charged the attempt on the next run.
///
/// The one ledger write outside the writer: it must happen before the work, not
/// after. A failure is kept (never dropped) and ends the run like the writer's.
///
/// Only where a document can kill the process: when parse and extract run in it
/// (`parse.isolation: none`). Under process isolation a document can only kill its
/// child, whose end the run itself records (crashed, out-of-memory, timeout, with
/// retries and quarantine), so the mark would guard nothing; it cost a synchronous
/// ledger round trip per document (on a PostgreSQL ledger, a quarter of a shared
/// run's time on the ledger benchmark).
final class InFlightMarker: Sendable {
    private let ledger: Ledger
    private let enabled: Bool
    private let failure = Mutex<(any Error)?>(nil)

    /// `inProcess`: documents are parsed and extracted inside this process.
    init(ledger: Ledger, inProcess: Bool) {
        self.ledger = ledger
        self.enabled = inProcess
    }

    func markRunning(_ item: WorkItem, stage: Stage) {
        guard enabled else { return }
        do {
            try ledger.markRunning(release: item.release.name, member: item.path, stage: stage, attempts: item.attempt,
                                   sequence: item.sequence)
        } catch {
            failure.withLock { if $0 == nil { $0 = error } }
        }
    }

    /// The first ledger error, if any.
    var error: (any Error)? { failure.withLock { $0 } }
}
