import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag that blocking loops poll, so `--follow` and the daemon stop
/// between batches, after the current commit, and exit 0.
package final class StopSignal: @unchecked Sendable {
    // @unchecked: `sources` is written once in init and only kept alive afterwards.
    private final class Flag: Sendable {
        let value = Atomic<Bool>(false)
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
            source.setEventHandler { [flag] in flag.value.store(true, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether a stop was requested.
    package var isRequested: Bool { flag.value.load(ordering: .relaxed) }

    /// Requests a stop as SIGTERM would: how the daemon stops its other parts when one of them fails.
    package func request() { flag.value.store(true, ordering: .relaxed) }
}
