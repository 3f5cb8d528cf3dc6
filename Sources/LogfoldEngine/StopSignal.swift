import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM (or a ``request()``) into a flag that blocking loops read between batches,
/// and that async code can await, so `--follow`, `send` and the daemon's parts stop after the current
/// commit and exit 0.
///
/// Why not only ServiceLifecycle's graceful shutdown: the loops that read it run on threads of their own
/// (a file's reads, LMDB and SQLite commits), outside any task; in `logfold run` the service group sets
/// it from a part's graceful-shutdown handler.
package final class StopSignal: @unchecked Sendable {
    // @unchecked: `sources` is written once in init and only kept alive afterwards.
    private final class Flag: Sendable {
        let value = Atomic<Bool>(false)
        let bell = AsyncDoorbell()

        func raise() {
            value.store(true, ordering: .relaxed)
            bell.ring()
        }
    }

    private let flag = Flag()
    private var sources: [any DispatchSourceSignal] = []

    /// Installs handlers for SIGINT and SIGTERM, unless `handlingSignals` is false: a flag another
    /// part raises with ``request()`` (how `logfold run`'s service group tells a blocking loop to stop).
    package init(handlingSignals: Bool = true) {
        guard handlingSignals else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [flag] in flag.raise() }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether a stop was requested.
    package var isRequested: Bool { flag.value.load(ordering: .relaxed) }

    /// Requests a stop as SIGTERM would.
    package func request() { flag.raise() }

    /// Returns once a stop is requested, or when the task is cancelled.
    package func requested() async {
        while !isRequested, !Task.isCancelled {
            let seen = flag.bell.generation
            if isRequested { return }
            await flag.bell.wait(since: seen, upTo: .seconds(3_600))
        }
    }
}
