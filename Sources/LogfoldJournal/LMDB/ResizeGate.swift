#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A reader/writer gate around the memory map: every transaction (read or write) holds it shared, and
/// a map resize holds it exclusively, because `mdb_env_set_mapsize` requires that no transaction is
/// active in this process.
///
/// It prefers the resize: once one is waiting, new top-level transactions wait for it, so a stream of
/// readers cannot starve growth. Shared holds are re-entrant per thread (a `forEach` callback may read
/// the journal again) and such nested holds do not wait, since the resize would wait for their outer
/// hold forever. A thread that already holds the gate cannot resize (that would be a self-deadlock);
/// ``withExclusive(_:ifHeld:)`` reports it instead.
final class ResizeGate: @unchecked Sendable {
    // Unchecked Sendable: `active` and `exclusivePending` are only touched under `mutex`; the pthread
    // objects live at stable heap addresses for the gate's whole life.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    /// Per-thread count of shared holds, stored as the thread-specific value's bit pattern.
    private let depthKey: pthread_key_t
    private var active = 0
    private var exclusivePending = false

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        depthKey = key
    }

    deinit {
        pthread_key_delete(depthKey)
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// How many shared holds the calling thread has on this gate.
    private var depth: Int {
        get { Int(bitPattern: pthread_getspecific(depthKey)) }
        set { pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    /// Runs `body` while holding the gate shared (no resize can happen meanwhile).
    func withShared<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let outer = depth
        pthread_mutex_lock(mutex)
        if outer == 0 {
            while exclusivePending { pthread_cond_wait(condition, mutex) }
        }
        active += 1
        pthread_mutex_unlock(mutex)
        depth = outer + 1
        defer {
            depth = outer
            pthread_mutex_lock(mutex)
            active -= 1
            if active == 0 && exclusivePending { pthread_cond_broadcast(condition) }
            pthread_mutex_unlock(mutex)
        }
        return try body()
    }

    /// Runs `body` with no transaction active in the process.
    ///
    /// Throws `ifHeld()` instead of deadlocking when the calling thread itself holds the gate shared.
    func withExclusive<R>(
        _ body: () throws(JournalError) -> R,
        ifHeld: () -> JournalError
    ) throws(JournalError) -> R {
        guard depth == 0 else { throw ifHeld() }
        pthread_mutex_lock(mutex)
        while exclusivePending { pthread_cond_wait(condition, mutex) }
        exclusivePending = true
        while active > 0 { pthread_cond_wait(condition, mutex) }
        defer {
            exclusivePending = false
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body()
    }
}
