import Synchronization

/// A clock the tests step by hand, the way postgres-nio tests its pool.
///
/// Every wait on it ends only when the test moves time past it, so time-bound behaviour is checked by moving time, never by sleeping
/// and measuring. Time is whole milliseconds since 1970.
package final class ManualClock: Clock, Sendable {
    /// A point on the clock, in milliseconds since 1970.
    package struct Instant: InstantProtocol, Sendable {
        /// Milliseconds since 1970.
        package var milliseconds: Int64

        /// The instant `duration` later (rounded up to the millisecond).
        package func advanced(by duration: Duration) -> Instant {
            Instant(milliseconds: milliseconds + ManualClock.roundedUp(duration))
        }

        /// The duration from this instant to `other`.
        package func duration(to other: Instant) -> Duration { .milliseconds(other.milliseconds - milliseconds) }

        /// Whether `left` is earlier.
        package static func < (left: Instant, right: Instant) -> Bool { left.milliseconds < right.milliseconds }
    }

    private struct Sleeper {
        var id: UInt64
        var until: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Int64
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>
    /// Where the clock started, in milliseconds since 1970.
    package let start: Int64

    /// Starts at `start` (Unix ms); default 2026-01-01T00:00:00Z.
    package init(_ start: Int64 = 1_767_225_600_000) {
        state = Mutex(State(now: start))
        self.start = start
    }

    /// The time now, in milliseconds since 1970.
    package var milliseconds: Int64 { state.withLock { $0.now } }
    /// The time now.
    package var now: Instant { Instant(milliseconds: milliseconds) }
    /// One millisecond.
    package var minimumResolution: Duration { .milliseconds(1) }
    /// How many waits are pending.
    package var sleepers: Int { state.withLock { $0.sleepers.count } }
    /// The time since the clock started.
    package var elapsed: Duration { .milliseconds(milliseconds - start) }

    /// Moves time on, waking the waits it has reached.
    package func advance(milliseconds delta: Int64) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now += delta
            let now = state.now
            defer { state.sleepers.removeAll { $0.until <= now } }
            return state.sleepers.filter { $0.until <= now }.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Waits until the clock reaches `deadline`; throws `CancellationError` when the task is cancelled
    /// first, as `ContinuousClock` does.
    package func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await wait(until: deadline.milliseconds)
    }

    /// Waits until the clock reaches now + `duration` (rounded up to the millisecond); throws
    /// `CancellationError` when the task is cancelled first.
    package func sleep(_ duration: Duration) async throws {
        let milliseconds = Self.roundedUp(duration)
        guard milliseconds > 0 else { return }
        try await wait(until: self.milliseconds + milliseconds)
    }

    private func wait(until deadline: Int64) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state in
                    if Task.isCancelled || deadline <= state.now { return true }
                    state.sleepers.append(Sleeper(id: id, until: deadline, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            try Task.checkCancellation()
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index).continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }

    /// Whole milliseconds in `duration`, rounded up.
    static func roundedUp(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
