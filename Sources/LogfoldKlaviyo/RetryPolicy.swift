/// What to do with a Klaviyo answer: a pure function of the status and the attempt count, so the
/// sender's runner only carries it out.
package struct RetryPolicy: Sendable, Hashable {
    /// The decision for one answer.
    package enum Decision: Sendable, Hashable {
        /// Klaviyo accepted the call.
        case accepted
        /// A transient failure: call again after this many seconds (429s are paced by the endpoint's
        /// pacer, so they retry after 0 here).
        case retry(afterSeconds: Double)
        /// The records were refused as they are: find the bad ones and dead-letter them.
        case rejected
        /// A configuration fault: stop and tell the operator.
        case stop(KlaviyoError.Code)
        /// Transient failures went on for too long: stop, keep the records pending.
        case giveUp
    }

    /// The first backoff, in seconds.
    package var baseDelay: Double
    /// The longest backoff, in seconds: past Klaviyo's 60-second window.
    package var maxDelay: Double
    /// Attempts before giving up on a transient failure.
    package var maxAttempts: Int

    /// Creates a policy; the defaults retry for about eight minutes.
    package init(baseDelay: Double = 0.5, maxDelay: Double = 64, maxAttempts: Int = 14) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
    }

    /// The decision for `status` (`nil`: no answer, the connection failed or timed out) on the
    /// `attempt`-th try (from 1); `jitter` in `0..<1` spreads retries ("full jitter").
    package func decide(status: Int?, attempt: Int, jitter: Double) -> Decision {
        switch status {
        case .some(200...299): return .accepted
        case .some(401): return .stop(.unauthorized)
        case .some(403): return .stop(.forbidden)
        case .some(410): return .stop(.revisionRetired)
        case .some(429):
            return attempt >= maxAttempts * 4 ? .giveUp : .retry(afterSeconds: 0)
        case .none, .some(408), .some(500...599):
            guard attempt < maxAttempts else { return .giveUp }
            return .retry(afterSeconds: backoff(attempt: attempt, jitter: jitter))
        default:
            return .rejected
        }
    }

    /// Capped exponential backoff with full jitter: uniform in `[cap/2, cap)` where cap doubles per try.
    package func backoff(attempt: Int, jitter: Double) -> Double {
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 30)))
        return ceiling / 2 + ceiling / 2 * min(max(jitter, 0), 1)
    }
}
