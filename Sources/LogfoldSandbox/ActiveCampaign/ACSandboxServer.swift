internal import Hummingbird
package import Logging
internal import ServiceLifecycle
import Synchronization
internal import UnixSignals

/// What `logfold sandbox --api activecampaign` can be told.
package struct ACSandboxConfiguration: Sendable {
    package var host = "127.0.0.1"
    /// 0 picks a free port.
    package var port = 8788
    /// The SQLite state file (`DIR/activecampaign-sandbox.sqlite` by default).
    package var statePath: String
    /// The `Api-Token` accepted; `nil` accepts any non-empty token.
    package var apiToken: String?
    /// The tracking endpoint's account id and key; `nil` accepts any non-empty value.
    package var eventAccount: String?
    package var eventKey: String?
    /// Requests per second for the whole account (ActiveCampaign's 5); `nil` for no limit.
    package var requestsPerSecond: Int? = 5
    /// Injected failures and their seed.
    package var faults = FaultSpec()
    package var faultsSeed: UInt64?
    /// How long a `timeout` fault holds a request.
    package var timeoutFaultDuration: Duration = .seconds(60)
    /// The clock of the rate window, event stamps and the request log.
    package var clock: SandboxClock = .system
    package var logger: Logger

    /// A configuration keeping state at `statePath`.
    package init(statePath: String, logger: Logger? = nil) {
        self.statePath = statePath
        self.logger = logger ?? SandboxConfiguration.defaultLogger(label: "logfold.sandbox.ac")
    }

    /// The state file of data directory `directory`.
    package static func statePath(inDataDirectory directory: String) -> String {
        directory + "/activecampaign-sandbox.sqlite"
    }
}

/// The local ActiveCampaign behind `logfold sandbox --api activecampaign`: the v3 calls logfold makes under
/// `/api/3/`, the tracking endpoint at `/event`, inspection under `/sandbox/`, a page at `/`.
package struct ACSandboxServer: Sendable {
    package let configuration: ACSandboxConfiguration
    let state: ACSandboxState
    private let running = RunningGroup()

    /// Opens (creating on first use) the state file.
    package init(configuration: ACSandboxConfiguration) throws {
        self.configuration = configuration
        state = try ACSandboxState(configuration: configuration)
    }

    /// Serves until ``stop()`` or, with `handlingSignals`, SIGTERM or SIGINT.
    package func run(
        handlingSignals: Bool = false, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await SandboxHTTP.serve(
            ACSandboxResponder(state: state), host: configuration.host, port: configuration.port,
            logger: configuration.logger, handlingSignals: handlingSignals, running: running, onListening: onListening)
    }

    /// Stops a running server gracefully.
    package func stop() async { await running.stop() }
}

/// What the running server shares: the store, the account's rate window and the fault injector.
final class ACSandboxState: Sendable {
    let configuration: ACSandboxConfiguration
    let store: ACSandboxStore
    private let window = Mutex<[Int64]>([])
    private let injector: Mutex<FaultInjector>

    init(configuration: ACSandboxConfiguration) throws {
        self.configuration = configuration
        store = try ACSandboxStore(path: configuration.statePath)
        injector = Mutex(
            FaultInjector(
                spec: configuration.faults, seed: configuration.faultsSeed ?? UInt64.random(in: 0...UInt64.max)))
    }

    var now: Int64 { configuration.clock.now() }

    /// Admits a request against the account's limit (a sliding second), or says how long to wait.
    func admit() -> Int? {
        guard let limit = configuration.requestsPerSecond else { return nil }
        let now = self.now
        return window.withLock { times in
            times.removeAll { $0 <= now - 1_000 }
            guard times.count < limit else { return 1 }
            times.append(now)
            return nil
        }
    }

    func nextFaultPlan() -> FaultInjector.Plan {
        let now = self.now
        return injector.withLock { $0.next(now: now) }
    }

    func setFaults(_ spec: FaultSpec, seed: UInt64?) {
        injector.withLock {
            $0.spec = spec
            if let seed { $0.reseed(seed) }
        }
    }

    var faults: FaultSpec { injector.withLock { $0.spec } }
}
