import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LineReader {
    /// Waits for the followed file to grow, and reopens it when it was rotated or truncated.
    ///
    /// Rotation (a new file at the path) is detected by device and inode; truncation by a size below
    /// what was read. Re-reading after truncation is safe because ingest is idempotent by entry id.
    func waitForGrowth() throws(EngineError) {
        guard case .file(let path) = source else { return }
        // Woken by inotify as soon as the file or its directory changes; the poll interval is the longest
        // wait (no notification on network file systems, or no watch left), and a rename or truncation is
        // looked for either way.
        if let watcher {
            watcher.waitForChange(upTo: pollInterval, shouldStop: shouldStop)
        } else {
            Thread.sleep(forTimeInterval: pollInterval.seconds)
        }
        var info = stat()
        if stat(path, &info) == 0 {
            let current = (device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            if let identity, current != identity {
                // Rotated: the old descriptor is at its end (we got 0 bytes); switch to the new file.
                try reopen(path)
                return
            }
            if Int64(info.st_size) < offset || !fingerprintStillMatches() {
                try reopen(path)
            }
        }
    }

    /// Whether the bytes just before the read offset are still the ones read there.
    private func fingerprintStillMatches() -> Bool {
        guard !fingerprint.isEmpty else { return true }
        var current = [UInt8](repeating: 0, count: fingerprint.count)
        let got = current.withUnsafeMutableBytes {
            pread(descriptor, $0.baseAddress, $0.count, off_t(offset) - off_t(fingerprint.count))
        }
        return got == fingerprint.count && current == fingerprint
    }

    func openFile(_ path: String) throws(EngineError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw EngineError(.io, "cannot open \(path): \(reason)", remedy: "check the path and its permissions")
        }
        var info = stat()
        fstat(fd, &info)
        descriptor = fd
        identity = (UInt64(info.st_dev), UInt64(info.st_ino))
        offset = 0
        fingerprint = []
        head = (0, FNV1a.digest([]))
    }

    func fileSize() -> Int64? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    func reopen(_ path: String) throws(EngineError) {
        // A last line the old file never finished is ended here rather than glued to the new file's
        // first line; if it is incomplete, it is rejected with its line number, not lost.
        if !pending.isEmpty { pending.append(0x0A) }
        let old = descriptor
        try openFile(path)
        if old > STDIN_FILENO { close(old) }
        watcher?.watch(path)
    }
}
