/// The time the Klaviyo client's pacers and the sender's waits run on.
///
/// It says how long since a fixed start, and waits. Injected, so tests step it by hand (a 429's `Retry-After`, a backoff) instead of
/// sleeping and measuring.
package struct PacingClock: Sendable {
    /// Time since this clock's start.
    package let elapsed: @Sendable () -> Duration
    /// Waits `duration` on this clock; throws when the task is cancelled.
    package let sleep: @Sendable (Duration) async throws -> Void

    /// A clock from its two readings.
    package init(
        elapsed: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void
    ) {
        self.elapsed = elapsed
        self.sleep = sleep
    }

    /// A clock over any `Clock` measuring in `Duration` (`ContinuousClock` in production).
    package init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleep = { try await clock.sleep(for: $0) }
    }

    /// The system's monotonic clock.
    package static var continuous: PacingClock { PacingClock(ContinuousClock()) }
}
