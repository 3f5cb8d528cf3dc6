import Dispatch
package import Testing

/// Runs a suite's tests on threads of their own instead of Swift's cooperative pool.
///
/// Tests that start `logfold` processes wait for them by blocking (a pipe read, a process exit). On the
/// cooperative pool, which has one thread per core, two such tests at once leave nothing for the
/// asynchronous tests running beside them: an in-process sandbox then answers nothing for as long,
/// and its clients time out. With this trait each test runs on a ``BlockingTestExecutor`` of its own,
/// a thread outside the pool. (A serial queue: on Linux a concurrent Dispatch queue shares its threads
/// with Swift's global executor, so blocking it starves the pool all the same; measured.)
package struct OffThePool: SuiteTrait, TestTrait, TestScoping {
    package var isRecursive: Bool { true }

    package func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(BlockingTestExecutor()) { try await function() }
    }
}

extension Trait where Self == OffThePool {
    /// Run the suite's tests, which block on child processes, off the cooperative pool.
    package static var offThePool: Self { OffThePool() }
}

/// A task executor over a serial Dispatch queue, which Dispatch drains on a thread of its own: blocking
/// work on it never holds one of the cooperative pool's threads.
///
/// Serial: a task that blocks waiting for another task it started must start that one elsewhere
/// (the engine tests' `awaitResult` does, on the global executor).
package final class BlockingTestExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "logfold.tests.blocking")

    /// An executor with its own queue.
    package init() {}

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
