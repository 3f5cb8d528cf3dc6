import Foundation
package import LogfoldJournal

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LineReader {
    /// How many of a file's first bytes its position's digest covers.
    static let headBytes = 4_096

    /// Where the file stands after the lines handed out so far: the start of the first line not yet
    /// handed out (never inside a line, nor inside an oversized one being skipped).
    func position() -> SourcePosition? {
        guard let identity else { return nil }
        let lineStart = skipping != nil ? skipStart : offset - Int64(pending.count)
        if head.length < Self.headBytes, let read = Self.head(of: descriptor, length: Self.headBytes),
            read.length > head.length
        {
            head = read
        }
        return .file(
            FilePosition(
                device: identity.device, inode: identity.inode, offset: max(0, lineStart), nextLine: nextLineNumber,
                headLength: head.length, headDigest: head.digest))
    }

    /// Starts at `saved`, the position the journal committed last, and says how.
    ///
    /// The same file (device, inode and first bytes), at least as long: reading goes on at the saved
    /// offset. Otherwise the file was rotated (another file at the path), truncated, or copy-truncated
    /// (cut to nothing after a copy was made) while nothing followed it; the lines after the saved offset
    /// are then in the file rotated away or in the copy, which is looked for beside it (by inode, or by
    /// its first bytes). Its tail is read first, then the file at the path from its start. Found nowhere,
    /// the file at the path is read from its start: entries already journaled count as duplicates.
    func resume(_ saved: FilePosition, path: String) throws(EngineError) -> String {
        guard let identity else { return "reading \(path) from its start" }
        let sameFile = identity.device == saved.device && identity.inode == saved.inode
        if sameFile, let size = fileSize(), size >= saved.offset,
            Self.head(of: descriptor, length: saved.headLength)?.digest == saved.headDigest
        {
            seek(saved)
            return "resuming \(path) at byte \(saved.offset) (line \(saved.nextLine))"
        }
        if let earlier = Self.file(near: path, holding: saved, besides: identity) {
            let current = descriptor
            try openFile(earlier)
            if current > STDIN_FILENO { close(current) }
            seek(saved)
            switchTo = path
            return "\(path) was rotated or cut since the last run: reading the rest of \(earlier) from byte "
                + "\(saved.offset), then \(path) from its start"
        }
        return sameFile
            ? "\(path) was truncated or rewritten since the last run, and no copy of it is beside it: reading it "
                + "from its start (entries already journaled count as duplicates)"
            : "\(path) is another file than the last run's, and the old one is not beside it: reading it from its "
                + "start (entries already journaled count as duplicates)"
    }

    private func seek(_ saved: FilePosition) {
        lseek(descriptor, off_t(saved.offset), SEEK_SET)
        offset = saved.offset
        nextLineNumber = saved.nextLine
        fingerprint = []
    }

    /// The length and digest of a file's first `length` bytes (fewer when it is shorter).
    static func head(of descriptor: Int32, length: Int) -> (length: Int, digest: UInt64)? {
        var bytes = [UInt8](repeating: 0, count: length)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, 0) }
        guard got >= 0 else { return nil }
        return (got, FNV1a.digest(Array(bytes[0..<got])))
    }

    /// A regular file in `path`'s directory, other than the one at the path now (`besides`), holding the
    /// saved file's first bytes and at least its offset's worth: the same inode first (a rotation by
    /// rename), else the same first bytes (a copy).
    static func file(near path: String, holding saved: FilePosition, besides current: (device: UInt64, inode: UInt64))
        -> String?
    {
        let directory = (path as NSString).deletingLastPathComponent
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? [])
            .sorted()
        var byContent: String?
        for name in names {
            let candidate = directory.isEmpty ? name : directory + "/" + name
            var info = stat()
            guard stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) >= saved.offset
            else { continue }
            let identity = (device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            if identity == current { continue }
            let descriptor = open(candidate, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            guard head(of: descriptor, length: saved.headLength)?.digest == saved.headDigest else { continue }
            if identity.device == saved.device, identity.inode == saved.inode { return candidate }
            if byContent == nil { byContent = candidate }
        }
        return byContent
    }
}

extension LineReader {
    /// A reader following `path` from the position the journal committed with its last batch (the top
    /// of the file when there is none), keeping its position in the journal from then on; what it did
    /// is in ``resumeNote``.
    package static func following(
        _ path: String, journal: Journal, pollInterval: Duration, maximumLineLength: Int,
        shouldStop: @escaping @Sendable () -> Bool
    ) throws(EngineError) -> LineReader {
        let committed: [UInt8]?
        do {
            committed = try journal.position(of: positionName(of: path))
        } catch {
            throw EngineError(
                .journal, "cannot read the position of \(path) in the journal: \(error)",
                remedy: "run `logfold journal verify`", cause: error)
        }
        var saved: FilePosition?
        if let committed, case .file(let position)? = SourcePosition(decoding: committed) { saved = position }
        let reader = try LineReader(
            source: .file(path), follow: true, pollInterval: pollInterval, maximumLineLength: maximumLineLength,
            keepsPosition: true, resume: saved, shouldStop: shouldStop)
        if reader.resumeNote == nil {
            reader.resumeNote = "following \(path) from its start (no position committed for it yet)"
        }
        return reader
    }
}
