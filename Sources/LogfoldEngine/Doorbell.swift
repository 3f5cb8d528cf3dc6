import Dispatch

/// Wakes a waiting thread when there is new work: the daemon's sources ring it after each journal
/// commit that appended entries, and the projector, caught up, waits on it instead of sleeping a poll
/// interval, so a posted entry is folded as soon as it is journaled.
///
/// A ring while nobody waits is kept (the next wait returns at once); several rings may wake the waiter
/// once or more, which costs it one look at the journal's head. The wait has a bound, so the waiter
/// still sees a stop request and its own timers (the week's tick) without a ring. Issue 15's runtime
/// makes this an async signal between services.
package final class Doorbell: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    /// A doorbell nobody has rung.
    package init() {}

    /// Wakes the waiter, or the next one to wait.
    package func ring() { semaphore.signal() }

    /// Waits until it is rung or `bound` has passed.
    package func wait(upTo bound: Duration) {
        _ = semaphore.wait(timeout: .now() + .nanoseconds(Int(min(bound.nanoseconds, Int64(Int.max)))))
    }
}
