/// The account's one pacer: ActiveCampaign allows 5 requests a second for the whole account, shared by
/// every key, with no burst documented, so calls go out at least 210 ms apart, whichever lane makes
/// them; a 429's `Retry-After` holds every call until it has passed.
///
/// Time is an input (`C`), so tests step it by hand.
package actor ActiveCampaignPacer<C: Clock> where C.Duration == Duration {
    private let clock: C
    private let interval: Duration
    private var next: C.Instant?
    private var heldUntil: C.Instant?
    /// Time spent waiting for the pacer, for `status`.
    package private(set) var waited: Duration = .zero

    /// A pacer of `requestsPerSecond` on `clock`; `nil` paces nothing (a sandbox without limits), though
    /// a 429 still holds every call.
    package init(requestsPerSecond: Int? = 5, clock: C) {
        self.clock = clock
        // 10 ms over the even share: the account's window is measured where the calls arrive.
        interval = requestsPerSecond.map { .milliseconds(1_000 / max(1, $0) + 10) } ?? .zero
    }

    /// Waits until the next call may go out, and books that slot.
    package func waitForSlot() async throws {
        let now = clock.now
        var slot = next.map { max($0, now) } ?? now
        if let held = heldUntil, held > slot { slot = held }
        next = slot.advanced(by: interval)
        if slot > now {
            waited += now.duration(to: slot)
            try await clock.sleep(until: slot, tolerance: nil)
        }
    }

    /// ActiveCampaign answered 429: no call before `seconds` from now.
    package func hold(seconds: Double) {
        let until = clock.now.advanced(by: .milliseconds(Int64(max(0, seconds) * 1_000)))
        if heldUntil.map({ until > $0 }) ?? true { heldUntil = until }
    }
}
