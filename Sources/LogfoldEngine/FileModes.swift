import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The data directory holds customers' personal data (names, emails, phones, addresses) and the
/// secrets that reach Klaviyo: it is its user's alone.
package enum FileModes {
    /// Makes every file this process creates 0600 and every directory 0700 (the process's umask).
    package static func restrictNewFiles() {
        umask(0o077)
    }

    /// Tightens a data directory made by an earlier build or copied with looser modes.
    ///
    /// The directory and the directories in it become 0700, the files 0600. Entries owned by another user are left alone.
    package static func tighten(directory path: String) {
        tighten(path, directory: true)
        guard let entries = FileManager.default.enumerator(atPath: path) else { return }
        for case let relative as String in entries {
            var info = stat()
            let full = path + "/" + relative
            guard lstat(full, &info) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR {
                tighten(full, directory: true)
            } else if kind == S_IFREG {
                tighten(full, directory: false)
            }
        }
    }

    private static func tighten(_ path: String, directory: Bool) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid == geteuid() else { return }
        let wanted: mode_t = directory ? 0o700 : 0o600
        if info.st_mode & 0o777 & ~wanted != 0 { _ = chmod(path, info.st_mode & 0o777 & wanted) }
    }

    /// Refuses a file holding a secret (an API key, a token) that other users can read or write.
    package static func checkSecretFile(_ path: String, holding what: String) throws(EngineError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw EngineError(
                .configuration, "cannot read the \(what) file \(path): \(String(cString: strerror(errno)))",
                remedy: "check the path")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw EngineError(
                .configuration,
                "the \(what) file \(path) can be read by other users (mode \(String(mode, radix: 8)))",
                remedy: "run `chmod 600 \(path)` and start again")
        }
    }
}
