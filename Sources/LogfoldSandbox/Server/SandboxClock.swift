internal import Foundation

/// The sandbox's notion of "now", in Unix milliseconds.
///
/// Rate-limit windows, the "at most a year ahead" check on event times, and the request log read it.
/// Injected so tests can step time by hand.
package struct SandboxClock: Sendable {
    private let read: @Sendable () -> Int64

    /// A clock reading `now`.
    package init(_ now: @escaping @Sendable () -> Int64) { read = now }

    /// The system's wall clock.
    package static let system = SandboxClock { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The current time in Unix milliseconds.
    package func now() -> Int64 { read() }
}
