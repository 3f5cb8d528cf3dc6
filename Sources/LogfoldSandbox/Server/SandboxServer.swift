internal import Hummingbird
internal import Logging
internal import NIOCore
internal import ServiceLifecycle
import Synchronization
internal import UnixSignals

/// The local Klaviyo-compatible server behind `logfold sandbox`, also run in-process by tests.
///
/// ```swift
/// let server = try SandboxServer(configuration: SandboxConfiguration(statePath: dir + "/sandbox.sqlite"))
/// try await server.run(handlingSignals: true) { port in print("listening on \(port)") }
/// ```
package struct SandboxServer: Sendable {
    /// The configuration it runs with.
    package let configuration: SandboxConfiguration
    let state: SandboxState
    private let running = RunningGroup()

    /// Opens (creating on first use) the state file; throws when it cannot.
    package init(configuration: SandboxConfiguration) throws {
        self.configuration = configuration
        state = try SandboxState(configuration: configuration)
    }

    /// The state store, for tests that inspect it directly.
    package var store: SandboxStore { state.store }

    /// Serves until ``stop()``, cancellation or, with `handlingSignals`, SIGTERM or SIGINT.
    ///
    /// A stop is graceful: requests in flight finish, then it returns. `onListening` receives the bound
    /// port once the socket is open — the way to learn the port chosen for `port: 0`.
    package func run(
        handlingSignals: Bool = false, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await SandboxHTTP.serve(
            SandboxResponder(state: state), host: configuration.host, port: configuration.port,
            logger: configuration.logger, handlingSignals: handlingSignals, running: running, onListening: onListening)
    }

    /// Asks a running server to stop gracefully, as SIGTERM does; ``run(handlingSignals:onListening:)``
    /// then returns.
    package func stop() async { await running.stop() }
}

/// The service group of a sandbox's current run, shared by copies of the server value, so ``stop()`` finds it.
final class RunningGroup: Sendable {
    let group = Mutex<ServiceGroup?>(nil)

    func stop() async {
        let group = group.withLock { $0 }
        await group?.triggerGracefulShutdown()
    }
}

/// Runs a sandbox's responder over HTTP as a service group, both sandboxes' one way of serving.
enum SandboxHTTP {
    static func serve<Responder: HTTPResponder>(
        _ responder: Responder, host: String, port: Int, logger: Logger, handlingSignals: Bool,
        running: RunningGroup, onListening: @escaping @Sendable (Int) async -> Void
    ) async throws where Responder.Context == SandboxRequestContext {
        let application = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: handlingSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        running.group.withLock { $0 = group }
        try await group.run()
    }
}
