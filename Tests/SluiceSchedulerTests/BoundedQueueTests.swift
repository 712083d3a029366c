import Foundation
import Testing
@testable import SluiceScheduler

/// The queue between stages announces a change only to waiters it can concern (poppers on a push, pushers on a
/// pop, the closer when nothing is outstanding). A wake-up lost there would hang a run: these tests drive a small
/// queue hard from several threads and fail if a waiter is still asleep after 30 seconds.
@Suite struct BoundedQueueTests {
    private func finishes(_ group: DispatchGroup) -> Bool {
        group.wait(timeout: .now() + 30) == .success
    }

    /// Runs `body` on a thread of its own, so a wait that never ends fails the test instead of hanging it.
    private func onThread(_ body: @escaping @Sendable () -> Void) -> DispatchGroup {
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread {
            body()
            group.leave()
        }
        return group
    }

    @Test func everyItemIsTakenOnceAndTheQueueClosesWhenIdle() {
        let queue = BoundedQueue<Int>(capacity: 2)
        let total = 20_000
        let taken = Locked([Int](repeating: 0, count: total))
        let nils = Locked(0)
        let poppers = DispatchGroup()
        let pushers = DispatchGroup()
        for _ in 0..<3 {
            poppers.enter()
            Thread.detachNewThread {
                while let item = queue.pop() {
                    taken.withLock { $0[item] += 1 }
                    // The last items are slow, so the closer below waits for them to be done.
                    if item >= total - 4 { Thread.sleep(forTimeInterval: 0.02) }
                    queue.done()
                }
                nils.withLock { $0 += 1 }
                poppers.leave()
            }
        }
        // Two pushers and three poppers on two slots: pushers often wait on a full queue, poppers on an empty one.
        for part in 0..<2 {
            pushers.enter()
            Thread.detachNewThread {
                for item in stride(from: part, to: total, by: 2) { #expect(queue.push(item)) }
                pushers.leave()
            }
        }
        // As a stage is finished: once its producers are done, wait for what is queued and in progress.
        #expect(finishes(pushers))
        #expect(finishes(onThread { queue.closeWhenIdle() }))
        #expect(taken.withLock { $0.allSatisfy { $0 == 1 } })
        let poppersEnded = finishes(poppers)
        #expect(poppersEnded)
        #expect(nils.withLock { $0 } == 3)
        // Once closed, a push is refused at once (on an open, full queue it would wait).
        if poppersEnded { #expect(!queue.push(0)) }
    }

    @Test func closeWaitsForReservedRetries() {
        let queue = BoundedQueue<Int>(capacity: 1)
        #expect(queue.push(1))
        queue.reserve() // a retry of item 1 that arrives later
        let closed = Locked(false)
        let closer = onThread {
            queue.closeWhenIdle()
            closed.withLock { $0 = true }
        }
        #expect(queue.pop() == 1)
        queue.done()
        Thread.sleep(forTimeInterval: 0.05)
        #expect(!closed.withLock { $0 }) // the reserved retry is still outstanding
        queue.pushReserved(2)
        #expect(queue.pop() == 2)
        queue.done()
        #expect(finishes(closer))
        #expect(closed.withLock { $0 })
        // Only a closed queue answers at once (an open one would wait for an item).
        if closed.withLock({ $0 }) { #expect(queue.pop() == nil) }
    }
}
