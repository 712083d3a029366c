import SluiceCore
import SluiceLedger
import Synchronization

/// Marks an item running in the ledger just before a stage starts work on it,
/// so a document that kills the process is charged the attempt on the next run.
///
/// The one ledger write outside the writer: it must happen before the work, not
/// after. A failure is kept (never dropped) and ends the run like the writer's.
final class InFlightMarker: Sendable {
    private let ledger: Ledger
    private let failure = Mutex<(any Error)?>(nil)

    init(ledger: Ledger) {
        self.ledger = ledger
    }

    func markRunning(_ item: WorkItem, stage: Stage) {
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
