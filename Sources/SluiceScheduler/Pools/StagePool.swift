import Foundation
import Synchronization

/// One item's claim on its result. The worker and the watchdog race for it:
/// whoever settles it first decides whether the item finished or timed out.
final class Lease: Sendable {
    private enum State { case running, completed, expired }
    private let state = Mutex(State.running)
    let deadline: Date?

    init(timeout: Double?) {
        deadline = timeout.map { Date().addingTimeInterval($0) }
    }

    /// The worker finished: true if its result still counts (the watchdog did not give up on it).
    func complete() -> Bool {
        state.withLock {
            guard $0 == .running else { return false }
            $0 = .completed
            return true
        }
    }

    /// The watchdog gives up on the item: true if the worker had not finished.
    func expire() -> Bool {
        state.withLock {
            guard $0 == .running else { return false }
            $0 = .expired
            return true
        }
    }
}

/// A pool of workers, each on its own serial Dispatch queue labelled
/// `sluice.<stage>.<n>`, taking items from one bounded queue until it is closed.
///
/// With a timeout, a watchdog gives up on an item that takes too long: it calls
/// `onTimeout` with the item, abandons the stuck worker (its eventual result is
/// dropped, since its lease has expired) and starts a fresh worker in its place,
/// so one hung document cannot stall the stage.
final class StagePool<Input: Sendable>: Sendable {
    typealias Work = @Sendable (Input, Lease) -> Void

    private final class Worker: Sendable {
        let abandoned = Mutex(false)
    }

    private struct Running {
        var lease: Lease
        var item: Input
        var worker: Worker
    }

    let input: BoundedQueue<Input>
    private let label: String
    private let timeout: Double?
    private let work: Work
    private let onTimeout = Mutex<(@Sendable (Input) -> Void)?>(nil)
    private let group = DispatchGroup()
    private let running = Mutex<[ObjectIdentifier: Running]>([:])
    private let spawned = Mutex(0)
    private let watchdog: Watchdog?
    private let budget: CPUBudget?

    init(label: String, workers: Int, capacity: Int, timeout: Double? = nil, budget: CPUBudget? = nil,
         work: @escaping Work) {
        input = BoundedQueue(capacity: capacity)
        self.label = label
        self.timeout = timeout
        self.budget = budget
        self.work = work
        watchdog = timeout == nil ? nil : Watchdog(label: "sluice.\(label).watchdog")
        watchdog?.start { [weak self] in self?.check() }
        for _ in 0..<max(1, workers) { spawnWorker() }
    }

    private func spawnWorker() {
        let index = spawned.withLock { n in
            n += 1
            return n
        }
        let worker = Worker()
        group.enter()
        // Serial queues run on libdispatch's overcommit pool, so a worker blocked on
        // a full or empty queue never holds back the others (a concurrent queue on a
        // 2-core machine would leave the rest waiting for seconds).
        DispatchQueue(label: "sluice.\(label).\(index)").async { [self] in
            while let item = input.pop() {
                budget?.acquire()
                let lease = Lease(timeout: timeout)
                let key = ObjectIdentifier(lease)
                if timeout != nil { running.withLock { $0[key] = Running(lease: lease, item: item, worker: worker) } }
                work(item, lease)
                if timeout != nil { running.withLock { _ = $0.removeValue(forKey: key) } }
                // The watchdog already settled the item, returned the permit and left the group for an abandoned worker.
                if worker.abandoned.withLock({ $0 }) { return }
                budget?.release()
                input.done()
            }
            group.leave()
        }
    }

    private func check() {
        let now = Date()
        let overdue = running.withLock { table -> [Running] in
            let late = table.filter { $0.value.lease.deadline.map { $0 < now } ?? false }
            for key in late.keys { table.removeValue(forKey: key) }
            return Array(late.values)
        }
        for entry in overdue where entry.lease.expire() {
            entry.worker.abandoned.withLock { $0 = true }
            budget?.release()
            spawnWorker()
            // The handler may requeue the item (reserving it) before the stuck one is counted done.
            onTimeout.withLock { $0 }?(entry.item)
            input.done()
            group.leave()
        }
    }

    /// What to do with an item the watchdog gave up on.
    func setTimeoutHandler(_ handler: @escaping @Sendable (Input) -> Void) {
        onTimeout.withLock { $0 = handler }
    }

    /// Puts an item back at the end of the queue from any thread without blocking the caller.
    func requeue(_ item: Input) {
        input.reserve()
        DispatchQueue.global().async { [input] in input.pushReserved(item) }
    }

    /// Waits until everything queued (and every retry) is finished, then stops the workers.
    func finish() {
        input.closeWhenIdle()
        group.wait()
        watchdog?.stop()
    }
}

/// A repeating timer on its own queue.
final class Watchdog: @unchecked Sendable {
    // @unchecked: a dispatch source is thread-safe; it is only started and cancelled.
    private let timer: any DispatchSourceTimer

    init(label: String) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: label))
    }

    func start(every seconds: Double = 0.1, _ tick: @escaping @Sendable () -> Void) {
        timer.schedule(deadline: .now() + seconds, repeating: seconds)
        timer.setEventHandler(handler: tick)
        timer.resume()
    }

    func stop() { timer.cancel() }
}
