/// Fixed-window rate limiting per endpoint, as a pure value: `admit` takes the time as an argument, so
/// tests drive it with any clock and the server owns the only mutable copy behind a lock.
///
/// Windows are aligned to multiples of their length since the Unix epoch (a 60 s window resets on the
/// minute), the way fixed windows behave at Klaviyo. A request refused by one window consumes nothing.
package struct RateLimiter: Sendable {
    /// The limits in force.
    package var table: RateLimitTable
    /// For each endpoint, for each of its windows, the window's start and the requests admitted in it.
    private var counters: [String: [(start: Int64, count: Int)]] = [:]

    /// What the headers of a success report: the window closest to exhaustion.
    package struct Status: Sendable, Hashable {
        /// `RateLimit-Limit`.
        package var limit: Int
        /// `RateLimit-Remaining`, after this request.
        package var remaining: Int
        /// `RateLimit-Reset`: whole seconds (rounded up) until that window resets.
        package var resetSeconds: Int

        /// Creates a status.
        package init(limit: Int, remaining: Int, resetSeconds: Int) {
            self.limit = limit
            self.remaining = remaining
            self.resetSeconds = resetSeconds
        }
    }

    /// The answer to one request.
    package enum Decision: Sendable, Hashable {
        /// Admitted; the status is `nil` when the endpoint has no limits.
        case allowed(Status?)
        /// Refused: retry after this many whole seconds (rounded up, at least 1).
        case throttled(retryAfterSeconds: Int)
    }

    /// Creates a limiter with fresh windows.
    package init(table: RateLimitTable) { self.table = table }

    /// Forgets every count (`POST /sandbox/reset`).
    package mutating func reset() { counters = [:] }

    /// Admits or refuses one request to `endpoint` at `now` (Unix milliseconds).
    package mutating func admit(_ endpoint: SandboxEndpoint, now: Int64) -> Decision {
        let windows = table.windows(for: endpoint)
        guard !windows.isEmpty else { return .allowed(nil) }
        var state = counters[endpoint.rawValue] ?? []
        if state.count != windows.count { state = Array(repeating: (Int64.min, 0), count: windows.count) }
        var retryAfterMilliseconds: Int64 = 0
        for (i, window) in windows.enumerated() {
            let start = Self.floor(now, window.milliseconds)
            if state[i].start != start { state[i] = (start, 0) }
            if state[i].count >= window.limit {
                retryAfterMilliseconds = max(retryAfterMilliseconds, start + window.milliseconds - now)
            }
        }
        if retryAfterMilliseconds > 0 {
            counters[endpoint.rawValue] = state
            return .throttled(retryAfterSeconds: max(1, Self.ceilSeconds(retryAfterMilliseconds)))
        }
        var tightest: Status?
        for (i, window) in windows.enumerated() {
            state[i].count += 1
            let status = Status(
                limit: window.limit, remaining: window.limit - state[i].count,
                resetSeconds: Self.ceilSeconds(state[i].start + window.milliseconds - now))
            // Closest to exhaustion: fewest remaining; on a tie the window that resets later.
            if let current = tightest,
                current.remaining < status.remaining
                    || (current.remaining == status.remaining && current.resetSeconds >= status.resetSeconds)
            {
                continue
            }
            tightest = status
        }
        counters[endpoint.rawValue] = state
        return .allowed(tightest)
    }

    private static func floor(_ value: Int64, _ divisor: Int64) -> Int64 {
        let q = value / divisor
        return (value % divisor < 0 ? q - 1 : q) * divisor
    }

    private static func ceilSeconds(_ milliseconds: Int64) -> Int {
        Int((milliseconds + 999) / 1000)
    }
}
