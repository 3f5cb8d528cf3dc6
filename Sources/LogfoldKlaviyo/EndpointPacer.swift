/// Keeps one endpoint's calls inside its rate windows: a pure state machine over a monotonic time in
/// nanoseconds, with no clock of its own.
///
/// It counts the calls it allowed in a *sliding* window, which never exceeds Klaviyo's fixed windows
/// however they are aligned, plus a safety margin for the difference between sending and arrival. The
/// server's word wins over the count: `RateLimit-Remaining: 0` or a 429's `Retry-After` block the
/// endpoint until the window resets, for every caller of it.
package struct EndpointPacer: Sendable {
    /// The windows kept to.
    package let windows: [RateWindow]
    /// Added to each window, in nanoseconds.
    package let margin: Int64
    /// No call before this time.
    package private(set) var blockedUntil: Int64 = .min
    private var sends: [Int64] = []
    private var oldest = 0

    /// Creates a pacer; `margin` defaults to 50 ms.
    package init(windows: [RateWindow], margin: Int64 = 50_000_000) {
        self.windows = windows
        self.margin = margin
    }

    /// The earliest time, not before `now`, at which a call would stay inside every window.
    package func earliestCall(now: Int64) -> Int64 {
        var time = max(now, blockedUntil)
        let live = sends[oldest...]
        // Each pass can only move `time` later; two passes per window settle it.
        for _ in 0..<(windows.count * 2 + 1) {
            var moved = false
            for window in windows {
                let length = Int64(window.seconds) * 1_000_000_000 + margin
                let inside = live.filter { $0 > time - length }
                if inside.count >= window.limit {
                    let release = inside[inside.startIndex + (inside.count - window.limit)] + length
                    if release > time {
                        time = release
                        moved = true
                    }
                }
            }
            if !moved { break }
        }
        return time
    }

    /// Records a call made at `time`.
    package mutating func recordCall(at time: Int64) {
        sends.append(time)
        let longest = (windows.map { Int64($0.seconds) }.max() ?? 0) * 1_000_000_000 + margin
        while oldest < sends.count, sends[oldest] <= time - longest { oldest += 1 }
        if oldest > 4_096, oldest * 2 > sends.count {
            sends.removeFirst(oldest)
            oldest = 0
        }
    }

    /// The server said how many calls remain and when its window resets (seconds).
    package mutating func observe(remaining: Int, resetSeconds: Double, now: Int64) {
        guard remaining <= 0 else { return }
        block(until: now + Int64(resetSeconds * 1e9))
    }

    /// The server answered 429: wait `retryAfter` seconds plus `jitter` nanoseconds.
    package mutating func throttled(retryAfter: Double, jitter: Int64, now: Int64) {
        block(until: now + Int64(retryAfter * 1e9) + jitter)
    }

    private mutating func block(until time: Int64) {
        blockedUntil = max(blockedUntil, time)
    }
}
