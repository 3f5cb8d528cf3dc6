import Dispatch

/// Runs blocking work (a SQLite transaction that may wait for the write lock, an fsync) on a thread of
/// its own, one piece at a time in the order handed over, and suspends the calling task until it ends.
///
/// Swift's cooperative pool has one thread per core. A task that blocks one of them, say a sender marking
/// that waits while the projector commits a batch, holds up every other task in the process: the HTTP
/// endpoint's handlers, the stop signal, even `Task.sleep` timers. On a 2-core machine two such waits
/// stop all async work. The queue is serial on purpose: on Linux a concurrent dispatch queue runs on the
/// same root-queue threads as Swift's global executor, so blocking it starves the pool all the same,
/// while a serial queue is drained by a thread of its own.
///
/// Why not NIO's `NIOThreadPool`: its threads are shared and take work in no set order, while the
/// sender's markings must land in the order they were handed over.
///
/// Work handed here always runs to its end, even when the caller is cancelled, so a marking of rows
/// Klaviyo accepted is never dropped halfway through a stop.
package struct BlockingWork: Sendable {
    private let queue: DispatchQueue

    /// Creates a work queue; `label` names it in a debugger.
    package init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the queue and returns its result, or throws its error, once it ends.
    package func run<Value: Sendable, Failure: Error>(
        _ body: @escaping @Sendable () throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Value, Failure>, Never>) in
            queue.async { continuation.resume(returning: Result(catching: body)) }
        }
        return try result.get()
    }
}
