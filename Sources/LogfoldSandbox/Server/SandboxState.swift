import Synchronization

/// What the running server shares between requests: the store, and the rate limiter and fault
/// injector behind locks (both are pure values; a lock is held only for one synchronous step).
final class SandboxState: Sendable {
    let configuration: SandboxConfiguration
    let store: SandboxStore
    let authenticator: Authenticator
    private let limiter: Mutex<RateLimiter>
    private let injector: Mutex<FaultInjector>

    init(configuration: SandboxConfiguration) throws {
        self.configuration = configuration
        store = try SandboxStore(path: configuration.statePath)
        authenticator = Authenticator(apiKey: configuration.apiKey, forbiddenKeys: configuration.forbiddenKeys)
        limiter = Mutex(RateLimiter(table: configuration.rateLimits))
        let seed = configuration.faultsSeed ?? UInt64.random(in: 0...UInt64.max)
        injector = Mutex(FaultInjector(spec: configuration.faults, seed: seed))
    }

    /// The sandbox clock's reading.
    var now: Int64 { configuration.clock.now() }

    /// Admits or refuses one request to `endpoint` now.
    func admit(_ endpoint: SandboxEndpoint) -> RateLimiter.Decision {
        let now = self.now
        return limiter.withLock { $0.admit(endpoint, now: now) }
    }

    /// The injected failure plan for the next `/api/` request.
    func nextFaultPlan() -> FaultInjector.Plan {
        let now = self.now
        return injector.withLock { $0.next(now: now) }
    }

    /// Replaces the faults (`POST /sandbox/faults`), restarting the sequence when `seed` is given.
    func setFaults(_ spec: FaultSpec, seed: UInt64?) {
        injector.withLock {
            $0.spec = spec
            if let seed { $0.reseed(seed) }
        }
    }

    /// The faults in force.
    var faults: FaultSpec { injector.withLock { $0.spec } }

    /// Wipes the stored state and the rate windows (`POST /sandbox/reset`); faults stay as configured.
    func reset() async throws {
        try await store.reset()
        limiter.withLock { $0.reset() }
    }
}
