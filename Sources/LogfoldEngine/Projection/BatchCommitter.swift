import Foundation
import LogfoldStore
import Synchronization

/// Commits projection batches to the state store on its own thread, in the order submitted, so that
/// folding the next batch overlaps the SQLite transaction of this one.
final class BatchCommitter: Sendable {
    private let store: StateStore
    private let projector: String
    private let handOff = HandOff<ProjectionBatch>(capacity: 1)
    private let done = DispatchSemaphore(value: 0)
    private let state: Mutex<(newRows: Int, failure: StoreError?, committedThrough: UInt64)>
    /// Committed batches, handed back so that the folding thread, which allocated them, frees them.
    ///
    /// Freed here they went back to the other thread's malloc arena, one lock per block: the folding
    /// thread spent seconds of a replay waking the committer on that lock.
    private let spent = Mutex<[ProjectionBatch]>([])
    /// Batches submitted after a batch before it commits (``Projector/committerLag``); 0 outside tests.
    private let lag: Int
    /// Signalled at each submit, and `lag` times more at the end, while `lag` holds commits back.
    private let submits = DispatchSemaphore(value: 0)
    /// Broadcast after each commit and on failure, for ``waitForCommit(through:)``.
    private let commits = NSCondition()

    /// A committer for `projector`, whose state is in the store through `checkpoint`, committing each
    /// batch once `lag` more were submitted (or the run ends).
    init(store: StateStore, projector: String, checkpoint: UInt64, lag: Int = 0) {
        self.store = store
        self.projector = projector
        self.lag = lag
        state = Mutex((0, nil, checkpoint))
    }

    /// The first commit failure; later batches are not committed after it.
    var failure: StoreError? { state.withLock { $0.failure } }

    /// The seq through which every submitted batch is in the store: a batch may still be committing, and
    /// one more may wait for it.
    var committedThrough: UInt64 { state.withLock { $0.committedThrough } }

    func start() {
        startNamedThread("logfold-commit") { [self] in
            defer { done.signal() }
            var received = 0
            var submitted = 0
            while let batch = handOff.receive() {
                received += 1
                // The submits of this batch and of `lag` more.
                while lag > 0, submitted < received + lag {
                    submits.wait()
                    submitted += 1
                }
                do throws(StoreError) {
                    let started = ContinuousClock.now
                    let inserted = try store.commit(batch, projector: projector)
                    EngineMetrics.committedBatch(ContinuousClock.now - started)
                    state.withLock {
                        $0.newRows += inserted
                        $0.committedThrough = batch.toSeq
                    }
                    spent.withLock { $0.append(consume batch) }
                    commits.broadcastUnderLock()
                } catch {
                    state.withLock { $0.failure = error }
                    handOff.close()
                    commits.broadcastUnderLock()
                    return
                }
            }
        }
    }

    /// Hands a batch to the committer, waiting only while the one before still waits to be taken;
    /// `false` once a commit has failed.
    ///
    /// So the folding thread, the replay's wall, never waits for a commit to finish, only when it is a
    /// whole batch ahead: three batches in memory at most (committing, queued, folding), against two when
    /// it waited for each batch to be taken (and sat idle about a sixth of a replay).
    func submit(_ batch: ProjectionBatch) -> Bool {
        if lag > 0 { submits.signal() }
        releaseSpentBatches()
        return handOff.send(batch)
    }

    /// Waits until every batch through `seq` is committed, or a commit failed, and frees them.
    ///
    /// For a batch far over the byte budget (a week change's share of an entry: 65,536 profile updates
    /// and as many ActiveCampaign messages can take 90 MB): folding the next one meanwhile held two or
    /// three such batches at once. Never while ``lag`` holds commits back.
    func waitForCommit(through seq: UInt64) {
        guard lag == 0 else { return }
        commits.lock()
        while state.withLock({ $0.failure == nil && $0.committedThrough < seq }) { commits.wait() }
        commits.unlock()
        releaseSpentBatches()
    }

    /// Waits for every queued batch to commit; returns the number of new outbox rows.
    func finish() -> Int {
        for _ in 0..<lag { submits.signal() }
        handOff.close()
        done.wait()
        releaseSpentBatches()
        return state.withLock { $0.newRows }
    }

    /// Frees the committed batches on the calling thread (the folding thread calls it as it goes, so
    /// that a committed batch does not stay in memory while the next one is folded).
    func releaseSpentBatches() {
        let batches = spent.withLock { spent in
            defer { spent = [] }
            return spent
        }
        _ = consume batches
    }
}

extension NSCondition {
    /// Wakes every waiter, under the lock so that none misses it between its check and its wait.
    fileprivate func broadcastUnderLock() {
        lock()
        broadcast()
        unlock()
    }
}
