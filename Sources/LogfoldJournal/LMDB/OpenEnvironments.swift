import Synchronization

/// The process-wide set of journal directories with an open LMDB environment.
///
/// LMDB forbids opening the same environment twice in one process: closing the second handle drops the
/// first one's POSIX locks (they belong to the process, not the handle). A second `Journal` on the same
/// directory is therefore refused; share the first one (it is `Sendable`).
enum OpenEnvironments {
    private static let paths = Mutex<Set<String>>([])

    /// Claims `path`; `false` if this process already has it open.
    static func claim(_ path: String) -> Bool {
        paths.withLock { $0.insert(path).inserted }
    }

    /// Releases `path`, after its environment is closed.
    static func release(_ path: String) {
        _ = paths.withLock { $0.remove(path) }
    }
}
