/// The pacers of every endpoint, shared by concurrent callers: an actor, so a slot handed to one caller
/// is counted before the next asks.
actor PacerRegistry {
    private var pacers: [KlaviyoEndpoint: EndpointPacer] = [:]
    private let limits: KlaviyoRateLimits
    private let clock: PacingClock
    private var random = SystemRandomNumberGenerator()

    init(limits: KlaviyoRateLimits, clock: PacingClock) {
        self.limits = limits
        self.clock = clock
    }

    /// Nanoseconds on the injected clock.
    private func now() -> Int64 {
        let elapsed = clock.elapsed()
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    private func pacer(_ endpoint: KlaviyoEndpoint) -> EndpointPacer {
        pacers[endpoint] ?? EndpointPacer(windows: limits[endpoint])
    }

    /// Waits until `endpoint` may be called, then counts the call.
    func waitForSlot(_ endpoint: KlaviyoEndpoint) async throws(CancellationError) {
        while true {
            var pacer = pacer(endpoint)
            let current = now()
            let at = pacer.earliestCall(now: current)
            if at <= current {
                pacer.recordCall(at: current)
                pacers[endpoint] = pacer
                return
            }
            // Sleeping releases the actor; the loop re-checks, since another caller may have taken the slot.
            do {
                try await clock.sleep(.nanoseconds(at - current))
            } catch {
                throw CancellationError()
            }
        }
    }

    /// Reads what an answer says about the windows.
    func observe(_ endpoint: KlaviyoEndpoint, status: Int, retryAfter: Double?, remaining: Int?, reset: Double?) {
        var pacer = pacer(endpoint)
        let current = now()
        if status == 429 {
            // Jitter (0-250 ms) so concurrent senders do not all return at the same instant.
            pacer.throttled(
                retryAfter: retryAfter ?? 1, jitter: Int64.random(in: 0..<250_000_000, using: &random), now: current
            )
        } else if let remaining, let reset {
            pacer.observe(remaining: remaining, resetSeconds: reset, now: current)
        }
        pacers[endpoint] = pacer
    }
}
