import Dispatch

/// How many items Sluice works on at once, across every stage: a worker holds
/// one permit while it works on an item and lends it back while it waits to
/// hand the result on (so a full queue downstream never holds a permit).
///
/// With a budget of one the whole pipeline does one thing at a time; with two it
/// keeps two cores busy. Stage pools may have more workers than permits: the
/// extra workers only wait. Parse workers whose documents a child process parses
/// (isolation: process) take none: the children are the parse stage's CPU, one per
/// parse worker.
final class CPUBudget: Sendable {
    private let semaphore: DispatchSemaphore

    init(permits: Int) {
        semaphore = DispatchSemaphore(value: max(1, permits))
    }

    func acquire() { semaphore.wait() }

    func release() { semaphore.signal() }

    /// Runs a blocking hand-off (a push into a bounded queue) without holding a permit.
    @discardableResult
    func whileWaiting<T>(_ body: () -> T) -> T {
        release()
        defer { acquire() }
        return body()
    }
}
