#if canImport(Glibc)
    import Glibc
#endif

/// Wakes a follower of a file as soon as the file, or the directory it lives in, changes: a line written
/// is read at once, not at the next poll.
///
/// The poll interval stays the longest wait, so nothing depends on a notification arriving (network file
/// systems send none, and a watch can fail for want of inotify watches): the watcher only shortens the
/// wait. The directory is watched too, so that a rotation (a new file at the path) wakes the follower,
/// and the file's watch is moved to the new file by ``watch(_:)``.
final class FileChangeWatcher {
    #if os(Linux)
        private let descriptor: Int32
        private var fileWatch: Int32 = -1
    #endif

    /// Set (to anything) in the environment, followers only poll: for a file system whose notifications
    /// misbehave, and for tests of the polling path.
    static let pollOnlyVariable = "LOGFOLD_FOLLOW_POLL_ONLY"

    /// A watcher of `path` and its directory; `nil` where inotify is not there or refuses, or when
    /// ``pollOnlyVariable`` is set (then the follower polls).
    init?(path: String) {
        #if os(Linux)
            guard let descriptor = Self.openInotify() else { return nil }
            self.descriptor = descriptor
            // A new file at the path (rotation) or the file moved or removed.
            let events = UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)
            _ = inotify_add_watch(descriptor, Self.directory(of: path), events)
            watch(path)
        #else
            return nil
        #endif
    }

    /// A watcher of writes to any file in `directory`.
    ///
    /// A SQLite database written by another process changes its main file, its journal or its `-wal`, all
    /// beside it. `nil` where inotify is not there or refuses, or when ``pollOnlyVariable`` is set.
    init?(writesIn directory: String) {
        #if os(Linux)
            guard let descriptor = Self.openInotify() else { return nil }
            self.descriptor = descriptor
            let events = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_DELETE)
            guard inotify_add_watch(descriptor, directory.isEmpty ? "." : directory, events) >= 0 else {
                close(descriptor)
                return nil
            }
        #else
            return nil
        #endif
    }

    #if os(Linux)
        /// An inotify instance, unless ``pollOnlyVariable`` is set or the system gives none.
        private static func openInotify() -> Int32? {
            guard getenv(pollOnlyVariable) == nil else { return nil }
            let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            return descriptor >= 0 ? descriptor : nil
        }
    #endif

    /// The directory `path` is in, as inotify takes it.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// Waits up to `interval` for a change, looking every ``stopCheckInterval`` whether `shouldStop` says
    /// to stop, so a stop is seen within one slice however long the interval (it can be long: the
    /// notification does the waking).
    ///
    /// For ``settleWindow`` after a change, waits are ``settleSlice`` at most: a notification can come
    /// before what caused it is visible (SQLite writes its `-wal` frames, then makes the commit visible
    /// through the memory-mapped `-shm`, which sends none), so the follower looks again shortly.
    func waitForChange(upTo interval: Duration, shouldStop: () -> Bool) {
        var left = interval
        if settleLeft > .zero {
            left = min(interval, Self.settleSlice)
            settleLeft -= left
        }
        while left > .zero, !shouldStop() {
            let slice = min(left, Self.stopCheckInterval)
            if wait(upTo: slice) {
                settleLeft = Self.settleWindow
                return
            }
            left -= slice
        }
    }

    /// How often a wait for a change looks whether a stop was requested.
    static let stopCheckInterval = Duration.milliseconds(200)
    /// How long after a change the follower keeps looking again shortly, and how often.
    static let settleWindow = Duration.seconds(3)
    static let settleSlice = Duration.milliseconds(50)
    private var settleLeft = Duration.zero

    deinit {
        #if os(Linux)
            close(descriptor)
        #endif
    }

    /// Watches the file now at `path` for writes, truncation and moves: after a rotation, the new file.
    func watch(_ path: String) {
        #if os(Linux)
            if fileWatch >= 0 { inotify_rm_watch(descriptor, fileWatch) }
            let events = UInt32(IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF)
            fileWatch = inotify_add_watch(descriptor, path, events)
        #endif
    }

    /// Waits until something changed or `timeout` passed, whichever comes first; returns whether something
    /// changed, and forgets what (the follower looks at the file itself).
    func wait(upTo timeout: Duration) -> Bool {
        #if os(Linux)
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let (seconds, attoseconds) = timeout.components
            let milliseconds = Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
            guard poll(&ready, 1, max(0, milliseconds)) > 0 else { return false }
            // Drained, so the next wait blocks until the next change.
            var events = [UInt8](repeating: 0, count: 4096)
            while events.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
            return true
        #else
            return false
        #endif
    }
}
