import Foundation

/// A blocking FIFO with a fixed capacity: `push` waits while it is full, `pop`
/// waits while it is empty. This is the back-pressure between stages.
///
/// It also counts outstanding work (queued, taken but not `done`, or reserved
/// for a retry), so a stage is closed only once nothing can still arrive.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property below is guarded by `condition`.
    private let condition = NSCondition()
    /// A ring of `capacity` slots. A popped slot is cleared at once: keeping popped
    /// items in an array until it was compacted held up to a thousand members,
    /// parsed documents and records per stage (over 600 MB on a 150 MB release).
    private var slots: [Element?]
    private var head = 0
    private var count = 0
    private var closed = false
    private var outstanding = 0
    /// Threads waiting in `enqueue`, in `pop` and in `closeWhenIdle`. One condition serves all three, so a change
    /// wakes every waiter; it is announced only when a waiter is there that it can concern. Broadcasting on every
    /// push, pop and `done` woke the thread in `closeWhenIdle` (waiting all run long) for every item of every stage:
    /// a run of the benchmark's 1x inputs made 11,414 futex calls with it, 8,442 without.
    private var pushersWaiting = 0
    private var poppersWaiting = 0
    private var idleWaiting = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        slots = Array(repeating: nil, count: self.capacity)
    }

    /// Waits for room, then enqueues. Returns false if the queue was closed.
    @discardableResult
    func push(_ item: Element) -> Bool {
        enqueue(item, reserved: false)
    }

    /// Counts an item that will be pushed later (a retry), so the queue is not closed before it arrives.
    func reserve() {
        condition.lock()
        outstanding += 1
        condition.unlock()
    }

    /// Pushes an item announced with `reserve()`.
    func pushReserved(_ item: Element) {
        _ = enqueue(item, reserved: true)
    }

    private func enqueue(_ item: Element, reserved: Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count >= capacity, !closed {
            pushersWaiting += 1
            condition.wait()
            pushersWaiting -= 1
        }
        if closed {
            if reserved { outstanding -= 1 }
            return false
        }
        slots[(head + count) % capacity] = item
        count += 1
        if !reserved { outstanding += 1 }
        if poppersWaiting > 0 { condition.broadcast() }
        return true
    }

    /// Waits for an item; nil once the queue is closed and drained. Call `done()` when the item is finished.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0, !closed {
            poppersWaiting += 1
            condition.wait()
            poppersWaiting -= 1
        }
        guard count > 0, let item = slots[head] else { return nil }
        slots[head] = nil
        head = (head + 1) % capacity
        count -= 1
        if pushersWaiting > 0 { condition.broadcast() }
        return item
    }

    /// One popped item is finished.
    func done() {
        condition.lock()
        outstanding -= 1
        if outstanding == 0, idleWaiting > 0 { condition.broadcast() }
        condition.unlock()
    }

    /// Waits until nothing is queued, in progress or reserved, then closes:
    /// poppers get nil from then on.
    func closeWhenIdle() {
        condition.lock()
        while outstanding > 0 {
            idleWaiting += 1
            condition.wait()
            idleWaiting -= 1
        }
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
