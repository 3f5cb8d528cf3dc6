import Foundation

/// A bounded, blocking single-producer single-consumer hand-off between two threads.
///
/// The ingest pipeline parses batch k+1 while the writer commits batch k; the bound keeps memory flat
/// (at most `capacity` parsed batches wait) whatever the journal's size or the input's. Why not an
/// `AsyncChannel`: both ends are threads doing blocking work (file reads, LMDB commits), which must not
/// wait on Swift's cooperative pool.
final class HandOff<Element: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var items: [Element] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Blocks while full; returns `false` if the consumer has closed the hand-off.
    func send(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items.append(element)
        condition.broadcast()
        return true
    }

    /// Blocks until an element arrives; `nil` once closed and drained.
    func receive() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let element = items.removeFirst()
        condition.broadcast()
        return element
    }

    /// No more elements will be sent (or, from the consumer, accepted).
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
