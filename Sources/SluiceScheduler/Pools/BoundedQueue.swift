import Synchronization
import Foundation

/// A blocking FIFO with a fixed capacity: `push` waits while it is full, `pop`
/// waits while it is empty. This is the back-pressure between stages.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property below is guarded by `condition`.
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Waits for room, then enqueues. Returns false if the queue was closed.
    @discardableResult
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity, !closed { condition.wait() }
        if closed { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Waits for an item; nil once the queue is closed and drained.
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

    /// No more pushes; poppers drain what is left, then get nil.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A pool of workers on a Dispatch queue labelled `sluice.<stage>`, each
/// taking items from one bounded queue until it is closed and drained.
final class StagePool<Input: Sendable>: Sendable {
    let input: BoundedQueue<Input>
    private let group = DispatchGroup()

    init(label: String, workers: Int, capacity: Int, work: @escaping @Sendable (Input) -> Void) {
        input = BoundedQueue(capacity: capacity)
        let input = self.input
        // One serial queue per worker: serial queues run on libdispatch's overcommit
        // pool, so a worker blocked on a full or empty queue never starves the others
        // (a concurrent queue on a 2-core machine would hold the rest back for seconds).
        for index in 0..<max(1, workers) {
            DispatchQueue(label: "sluice.\(label).\(index)").async(group: group) {
                while let item = input.pop() { work(item) }
            }
        }
    }

    /// Closes the input and waits for the workers to finish what is queued.
    func finish() {
        input.close()
        group.wait()
    }
}
