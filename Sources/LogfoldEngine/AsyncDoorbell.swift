import Synchronization

/// Wakes a waiting task when there is new work: the daemon's projector rings it after each commit that
/// wrote outbox rows, and an idle sender waits on it instead of sleeping a poll interval, so a folded
/// message goes out as soon as it is in the outbox.
///
/// A ring while nobody waits is kept for the next wait. The wait has a bound (the sender still looks at
/// the outbox now and then: rows an operator put back to pending, a `logfold project` run beside the
/// daemon) and ends early when its task is cancelled.
package final class AsyncDoorbell: Sendable {
    private struct State {
        var rung = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A doorbell nobody has rung.
    package init() {}

    /// Wakes every waiter, or the next one to wait.
    package func ring() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty {
                state.rung = true
                return []
            }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Waits until it is rung, `bound` has passed or the task is cancelled.
    package func wait(upTo bound: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing() }
            group.addTask { try? await Task.sleep(for: bound) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.rung || Task.isCancelled {
                        state.rung = false
                        return true
                    }
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
