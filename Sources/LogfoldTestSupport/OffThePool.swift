import Dispatch
package import Testing

/// Runs a suite's tests on threads of their own instead of Swift's cooperative pool.
///
/// Tests that start `logfold` processes wait for them by blocking (a pipe read, a process exit). On the
/// cooperative pool, which has one thread per core, two such tests at once leave nothing for the
/// asynchronous tests running beside them: an in-process sandbox then answers nothing for as long,
/// and its clients time out. With this trait the test body runs on ``BlockingTestExecutor``, whose
/// threads are Dispatch's own, and the pool stays free.
package struct OffThePool: SuiteTrait, TestTrait, TestScoping {
    package var isRecursive: Bool { true }

    package func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(BlockingTestExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OffThePool {
    /// Run the suite's tests, which block on child processes, off the cooperative pool.
    package static var offThePool: Self { OffThePool() }
}

/// A task executor over a concurrent Dispatch queue: blocking work on it holds a Dispatch thread, never
/// one of the cooperative pool's.
package final class BlockingTestExecutor: TaskExecutor {
    /// The one executor the tests share.
    package static let shared = BlockingTestExecutor()

    private let queue = DispatchQueue(label: "logfold.tests.blocking", attributes: .concurrent)

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
