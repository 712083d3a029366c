import Foundation

/// A blocking FIFO with a fixed capacity: `push` waits while it is full, `pop`
/// waits while it is empty. This is the back-pressure between stages.
///
/// It also counts outstanding work (queued, taken but not `done`, or reserved
/// for a retry), so a stage is closed only once nothing can still arrive.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property below is guarded by `condition`.
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var closed = false
    private var outstanding = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
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
        while items.count - head >= capacity, !closed { condition.wait() }
        if closed {
            if reserved { outstanding -= 1 }
            return false
        }
        items.append(item)
        if !reserved { outstanding += 1 }
        condition.broadcast()
        return true
    }

    /// Waits for an item; nil once the queue is closed and drained. Call `done()` when the item is finished.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head == 0, !closed { condition.wait() }
        guard items.count - head > 0 else { return nil }
        let item = items[head]
        head += 1
        if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// One popped item is finished.
    func done() {
        condition.lock()
        outstanding -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until nothing is queued, in progress or reserved, then closes:
    /// poppers get nil from then on.
    func closeWhenIdle() {
        condition.lock()
        while outstanding > 0 { condition.wait() }
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
