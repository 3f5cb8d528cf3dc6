import Synchronization

/// Wakes waiting tasks when there is new work: the daemon's projector rings it after each commit that
/// wrote outbox rows, and an idle sender waits on it instead of sleeping a poll interval, so a folded
/// message goes out as soon as it is in the outbox.
///
/// Rings are counted: a waiter reads ``generation`` before it looks for work, and waits ``since`` that
/// generation, so a ring between its look and its wait is never lost, whoever else waits on the bell
/// (the Klaviyo sender's two drains and the ActiveCampaign sender share one). The wait has a bound (the
/// sender still looks now and then: rows an operator put back to pending, a `logfold project` run beside
/// the daemon) and ends early when its task is cancelled.
package final class AsyncDoorbell: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A doorbell nobody has rung.
    package init() {}

    /// How many times it has been rung: read it before looking for work, then wait ``since`` it.
    package var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiter; a later wait since an earlier generation returns at once.
    package func ring() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Waits until it is rung after generation `seen` (at once if it was), `bound` has passed, or the task
    /// is cancelled.
    package func wait(since seen: UInt64, upTo bound: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing(since: seen) }
            // The bound is a safety net behind the ring (a ring from another process cannot arrive).
            group.addTask { try? await Task.sleep(for: bound) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing(since seen: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.generation != seen || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
