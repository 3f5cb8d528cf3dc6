import Foundation
import LogfoldEngine
internal import ServiceLifecycle
import Synchronization

/// A part of `logfold run` whose work blocks (a source's reads and journal commits, the projector's
/// folds and SQLite commits): it runs on a thread of its own, off Swift's cooperative pool, and the
/// group's graceful shutdown reaches it through `stop`, which its loops see between batches.
struct BlockingPartService: Service {
    let part: String
    let thread: String
    let work: @Sendable () -> EngineError?
    let stop: @Sendable () -> Void
    let failed: @Sendable (String, String) -> Void

    func run() async throws {
        let failure = await withGracefulShutdownHandler {
            await onThread(thread) { work() }
        } onGracefulShutdown: {
            stop()
        }
        if let failure {
            failed(part, failure.description)
            throw failure
        }
    }
}

/// A part of `logfold run` that is Swift concurrency already (a sender): `stop` is how the group's
/// graceful shutdown asks it to finish the requests in flight and return.
struct AsyncPartService: Service {
    let part: String
    let work: @Sendable () async throws -> Void
    let stop: @Sendable () -> Void
    let failed: @Sendable (String, String) -> Void

    func run() async throws {
        do {
            try await withGracefulShutdownHandler {
                try await work()
            } onGracefulShutdown: {
                stop()
            }
        } catch {
            failed(part, "\(error)")
            throw error
        }
    }
}

/// The first part a stop reaches (services stop in the reverse order they start, and this one starts
/// last): it marks the daemon stopping, so the health check says so while the others drain.
struct StoppingMarker: Service {
    let stopping: StopSignal

    func run() async throws {
        try? await gracefulShutdown()
        stopping.request()
    }
}

/// Without an HTTP endpoint: says the daemon runs, then waits for the stop.
struct ReadyLine: Service {
    let line: String
    let onReady: @Sendable (String) -> Void

    func run() async throws {
        onReady(line)
        try? await gracefulShutdown()
    }
}

/// Stops a running ``Daemon`` from inside its process the way SIGTERM does from outside: the same
/// graceful shutdown of its service group (for an embedding program, and for tests that run the daemon
/// in-process beside others).
package final class DaemonStopper: Sendable {
    private let state = Mutex<(group: ServiceGroup?, requested: Bool)>((nil, false))

    /// A stopper to pass to ``Daemon/run(handlingSignals:stopper:onReady:)``.
    package init() {}

    /// Starts the daemon's graceful shutdown (once it runs, if it does not yet).
    package func stop() async {
        let group = state.withLock { state in
            state.requested = true
            return state.group
        }
        await group?.triggerGracefulShutdown()
    }

    /// Called by the daemon with its group: a stop asked for earlier takes effect now.
    func attach(_ group: ServiceGroup) async {
        let requested = state.withLock { state in
            state.group = group
            return state.requested
        }
        if requested { await group.triggerGracefulShutdown() }
    }
}
