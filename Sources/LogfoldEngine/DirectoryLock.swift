import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on a file in the data directory, held while the instance lives.
///
/// How `logfold run` makes sure one daemon at a time works on a directory (two would race for the
/// projector's checkpoint). The kernel drops it when the process ends, however it ends.
package final class DirectoryLock: Sendable {
    /// The lock file.
    package let path: String
    private let descriptor: Int32

    /// The lock a Klaviyo sender holds (`send`, or `run` unless `--no-send`), under the data directory.
    package static let klaviyoSender = "/sender-klaviyo.lock"

    /// The lock a replay holds on the directory it builds, under that directory.
    package static let replay = "/replay.lock"

    /// The process id in the lock file at `path` while a process holds it; `nil` when none does.
    ///
    /// Only looks: a shared lock, tried and dropped at once. No such file means no holder.
    package static func holder(of path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) != 0 else { return nil }
        let pid = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return pid.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
    }

    /// Takes the lock on `path` (created if missing) and writes this process's id into it.
    ///
    /// Throws when another process holds it, naming that process. `holder` names what holds it (`run`,
    /// `sender`).
    package init(path: String, holder: String = "run") throws(EngineError) {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw EngineError(
                .io, "cannot open the lock file \(path): \(String(cString: strerror(errno)))",
                remedy: "check that the data directory exists and is writable")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let pid = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw EngineError(
                .configuration,
                "another logfold \(holder) (pid \(pid.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown")) is working on "
                    + "this data directory (\(path) is locked)",
                remedy: "stop it first, or give this one another --data")
        }
        self.descriptor = descriptor
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(descriptor) }
}
