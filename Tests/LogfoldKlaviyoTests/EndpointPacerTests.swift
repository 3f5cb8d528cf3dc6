import LogfoldKlaviyo
import LogfoldTestSupport
import Testing

@Suite struct EndpointPacerTests {
    static let second: Int64 = 1_000_000_000

    /// Calls as fast as the pacer lets them, from time 0, and returns their times.
    func drive(_ pacer: inout EndpointPacer, calls: Int) -> [Int64] {
        var now: Int64 = 0
        var times: [Int64] = []
        for _ in 0..<calls {
            now = pacer.earliestCall(now: now)
            pacer.recordCall(at: now)
            times.append(now)
        }
        return times
    }

    @Test("no window of any alignment ever holds more calls than its limit (seeded random windows)")
    func windowsHold() {
        var generator = SplitMix(seed: 7)
        for _ in 0..<20 {
            let burst = Int(generator.next() % 12) + 1
            let steady = burst + Int(generator.next() % 40)
            let windows = [RateWindow(limit: burst, seconds: 1), RateWindow(limit: steady, seconds: 10)]
            var pacer = EndpointPacer(windows: windows, margin: 0)
            let times = drive(&pacer, calls: steady * 3)
            for window in windows {
                let length = Int64(window.seconds) * Self.second
                for (i, start) in times.enumerated() {
                    let inside = times[i...].prefix(while: { $0 < start + length }).count
                    #expect(inside <= window.limit, "\(inside) calls in \(window) from \(start)")
                }
            }
        }
    }

    @Test("the budget is used: 150 calls a minute take one minute, not more")
    func budgetIsUsed() {
        var pacer = EndpointPacer(
            windows: [RateWindow(limit: 10, seconds: 1), RateWindow(limit: 150, seconds: 60)], margin: 0)
        let times = drive(&pacer, calls: 300)
        #expect(times[149] < 15 * Self.second)  // the first 150 go at the burst rate
        #expect(times[150] == 60 * Self.second)  // then the 60-second window holds the rest
        #expect(times[299] < 75 * Self.second)
    }

    @Test("a 429's Retry-After blocks the endpoint for that long plus jitter")
    func retryAfterBlocks() {
        var pacer = EndpointPacer(windows: [], margin: 0)
        pacer.throttled(retryAfter: 3, jitter: 100, now: 5 * Self.second)
        #expect(pacer.earliestCall(now: 5 * Self.second) == 8 * Self.second + 100)
        #expect(pacer.earliestCall(now: 9 * Self.second) == 9 * Self.second)
    }

    @Test("RateLimit-Remaining 0 waits for the reset; a remaining budget does not")
    func serverHeaders() {
        var pacer = EndpointPacer(windows: [], margin: 0)
        pacer.observe(remaining: 4, resetSeconds: 30, now: 0)
        #expect(pacer.earliestCall(now: 0) == 0)
        pacer.observe(remaining: 0, resetSeconds: 30, now: 0)
        #expect(pacer.earliestCall(now: 0) == 30 * Self.second)
    }
}
