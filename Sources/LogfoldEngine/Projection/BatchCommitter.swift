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
    private let state = Mutex<(newRows: Int, failure: StoreError?)>((0, nil))
    /// Committed batches, handed back so that the folding thread, which allocated them, frees them.
    ///
    /// Freed here they went back to the other thread's malloc arena, one lock per block: the folding
    /// thread spent seconds of a replay waking the committer on that lock.
    private let spent = Mutex<[ProjectionBatch]>([])

    init(store: StateStore, projector: String) {
        self.store = store
        self.projector = projector
    }

    /// The first commit failure; later batches are not committed after it.
    var failure: StoreError? { state.withLock { $0.failure } }

    func start() {
        let thread = Thread { [self] in
            defer { done.signal() }
            while let batch = handOff.receive() {
                do throws(StoreError) {
                    let started = ContinuousClock.now
                    let inserted = try store.commit(batch, projector: projector)
                    EngineMetrics.committedBatch(ContinuousClock.now - started)
                    state.withLock { $0.newRows += inserted }
                    spent.withLock { $0.append(consume batch) }
                } catch {
                    state.withLock { $0.failure = error }
                    handOff.close()
                    return
                }
            }
        }
        thread.name = "logfold-store-committer"
        thread.start()
    }

    /// Hands a batch to the committer and waits until it starts committing it; `false` once a commit
    /// has failed.
    ///
    /// Waiting keeps two batches in memory (the one committing and the one folding) instead of three:
    /// the committer is the slower stage, so a queued batch would only wait there, and the memory it
    /// freed pays for larger batches, which write the outbox indexes fewer times.
    func submit(_ batch: ProjectionBatch) -> Bool {
        releaseSpentBatches()
        guard handOff.send(batch) else { return false }
        handOff.waitUntilTaken()
        return true
    }

    /// Waits for every queued batch to commit; returns the number of new outbox rows.
    func finish() -> Int {
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
