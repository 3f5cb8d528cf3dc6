internal import Foundation

/// The sandbox's time: "now" in Unix milliseconds, and waiting.
///
/// Rate-limit windows, the "at most a year ahead" check on event times and the request log read it; the
/// delay and timeout faults wait on it. Injected so tests step time by hand instead of sleeping.
package struct SandboxClock: Sendable {
    private let read: @Sendable () -> Int64
    private let wait: @Sendable (Duration) async -> Void

    /// A clock reading `now` and waiting with `sleep` (which returns early, not throwing, when the task
    /// is cancelled).
    package init(
        _ now: @escaping @Sendable () -> Int64,
        sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) {
        read = now
        wait = sleep
    }

    /// The system's wall clock.
    package static let system = SandboxClock { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The current time in Unix milliseconds.
    package func now() -> Int64 { read() }

    /// Waits `duration` on this clock (less when the task is cancelled).
    package func sleep(_ duration: Duration) async { await wait(duration) }
}
