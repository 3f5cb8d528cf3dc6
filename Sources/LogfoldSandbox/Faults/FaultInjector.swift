/// Decides, request by request, which injected failure (if any) to apply, from a seeded generator.
///
/// The same seed and the same sequence of requests give the same failures. Only an outage reads time,
/// from the caller.
package struct FaultInjector: Sendable {
    /// The faults in force.
    package var spec: FaultSpec
    private var generator: SplitMix64
    private var requests = 0
    private var outageBegan: Int64?

    /// What to do to one request.
    package struct Plan: Sendable, Hashable {
        /// Latency to add first, in milliseconds.
        package var delayMilliseconds: Int64
        /// The failure to inject, or `nil` to serve the request.
        package var outcome: FaultSpec.Outcome?
    }

    /// Creates an injector drawing from `seed`.
    package init(spec: FaultSpec, seed: UInt64) {
        self.spec = spec
        self.generator = SplitMix64(seed: seed)
    }

    /// Restarts the sequence from `seed` (and the request count an outage waits for).
    package mutating func reseed(_ seed: UInt64) {
        generator = SplitMix64(seed: seed)
        requests = 0
        outageBegan = nil
    }

    /// The plan for the next request, arriving at `now` (Unix milliseconds).
    ///
    /// Always draws two numbers, so a spec change keeps later draws aligned with the request count.
    package mutating func next(now: Int64) -> Plan {
        let outcomeDraw = generator.nextUnit()
        let delayDraw = generator.nextUnit()
        requests += 1
        if let outage = spec.outage, requests > outage.afterRequests {
            let began = outageBegan ?? now
            outageBegan = began
            if now < began + outage.milliseconds { return Plan(delayMilliseconds: 0, outcome: .outage) }
        }
        var outcome: FaultSpec.Outcome?
        var cumulative = 0.0
        for entry in spec.entries {
            cumulative += entry.probability
            if outcomeDraw < cumulative {
                outcome = entry.outcome
                break
            }
        }
        let delay = delayDraw < spec.delayProbability ? spec.delayMilliseconds : 0
        return Plan(delayMilliseconds: delay, outcome: outcome)
    }
}

/// Sebastiano Vigna's SplitMix64: tiny, fast, and good enough to pick failures reproducibly.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in [0, 1).
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
