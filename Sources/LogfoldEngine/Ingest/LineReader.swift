import Foundation
import LogfoldJournal

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads JSON Lines from a file or standard input in large blocks and hands out batches of complete
/// lines; with `follow`, it keeps tailing the file across rotation and truncation.
///
/// Blocking reads on purpose: it runs on the ingest thread, never inside an async task.
package final class LineReader {
    /// Where lines come from.
    package enum Source: Sendable, Equatable {
        case file(String)
        case standardInput
    }

    package let source: Source
    private let follow: Bool
    let pollInterval: Duration
    let shouldStop: @Sendable () -> Bool
    var descriptor: Int32 = -1
    /// Wakes a follower when the file changes (``FileChangeWatcher``); made before the first read.
    var watcher: FileChangeWatcher?
    var identity: (device: UInt64, inode: UInt64)?
    var offset: Int64 = 0
    var pending: [UInt8] = []
    /// The last bytes read from the current file, to notice a copy-truncate rewrite that left the file
    /// at least as long as before (a size check alone cannot see it).
    var fingerprint: [UInt8] = []
    var nextLineNumber = 1
    /// Lines longer than this are not held: their first bytes, length and checksum are kept instead.
    private let maximumLineLength: Int
    /// The line being skipped past the limit while looking for its newline.
    var skipping: (prefix: [UInt8], length: Int, checksum: UInt32)?
    private var readBuffer: [UInt8]
    private var finished = false
    /// Whether batches carry the file's position (``LineBatch/endPosition``), for the journal.
    let keepsPosition: Bool
    /// Where the oversized line being skipped started: a position never points inside it.
    var skipStart: Int64 = 0
    /// The file's first bytes, as far as read: how many and their digest (``FilePosition``).
    var head: (length: Int, digest: UInt64) = (0, FNV1a.digest([]))
    /// A file to go on with once the current one ends: set when a restart resumes in the rotated-away or
    /// copied file, whose tail is read before the file at the path.
    var switchTo: String?

    static let fingerprintLength = 64

    /// The total size of a regular file at open, for progress; `nil` for a pipe or stdin.
    package private(set) var expectedBytes: Int64?
    /// Bytes consumed so far.
    package private(set) var bytesRead: Int64 = 0

    /// Opens the source; throws an ``EngineError`` naming the path when it cannot be opened.
    ///
    /// With `keepsPosition` (a followed file), each batch carries the file's position, and `resume`, the
    /// position the journal committed last, is where reading starts (see ``resume(_:path:)``).
    package init(
        source: Source, follow: Bool = false, pollInterval: Duration = .milliseconds(200), blockSize: Int = 1 << 20,
        maximumLineLength: Int = 1 << 20, keepsPosition: Bool = false, resume: FilePosition? = nil,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) throws(EngineError) {
        self.source = source
        self.keepsPosition = keepsPosition
        self.maximumLineLength = max(1, maximumLineLength)
        self.follow = follow
        self.pollInterval = pollInterval
        self.shouldStop = shouldStop
        self.readBuffer = [UInt8](repeating: 0, count: blockSize)
        switch source {
        case .standardInput:
            descriptor = STDIN_FILENO
        case .file(let path):
            // Watching from before the first read: a line written between a read and the wait after it
            // is waiting in the watcher then, not missed until the next poll.
            if follow { watcher = FileChangeWatcher(path: path) }
            try openFile(path)
            expectedBytes = follow ? nil : fileSize()
            if let resume { resumeNote = try self.resume(resume, path: path) }
        }
    }

    /// What resuming did, for the log (`nil` without a position to resume from).
    package internal(set) var resumeNote: String?

    /// The name the position is kept under in the journal: `follow PATH` (the path made absolute).
    package var positionName: String? {
        guard keepsPosition, case .file(let path) = source else { return nil }
        return Self.positionName(of: path)
    }

    /// `follow PATH`, the path made absolute: the journal's name for a followed file's position.
    package static func positionName(of path: String) -> String {
        "follow " + URL(fileURLWithPath: path).standardizedFileURL.path
    }

    deinit {
        if descriptor > STDIN_FILENO { close(descriptor) }
    }

    /// The name used in messages: the path or `stdin`.
    package var sourceName: String {
        switch source {
        case .file(let path): path
        case .standardInput: "stdin"
        }
    }

    /// The next batch of up to `maximumLines` complete lines; `nil` when the input has ended (never,
    /// while following, until `shouldStop` says so).
    ///
    /// A batch is returned early when the input has no more data ready, so a trickle is journaled
    /// promptly instead of waiting for a full batch.
    package func nextBatch(maximumLines: Int) throws(EngineError) -> LineBatch? {
        var batch = LineBatch()
        batch.storage.reserveCapacity(min(maximumLines * 700, 8 << 20))
        while batch.lines.count < maximumLines {
            // A stop ends the input between blocks, not at its end, so a large backlog does not hold SIGTERM
            // for minutes. Lines read and not yet handed out are after the committed position: the next
            // run reads them again.
            if shouldStop() {
                if batch.isEmpty { finished = true }
                break
            }
            if takeLines(into: &batch, maximumLines: maximumLines) { break }
            if finished { break }
            let count = try readBlock()
            if count > 0 { continue }
            // End of the data available now.
            if !batch.isEmpty { break }
            if let next = switchTo {
                // The rotated-away or copied file's tail is read: on with the file at the path.
                switchTo = nil
                try reopen(next)
                continue
            }
            if !follow {
                finishPartialLine(into: &batch)
                finished = true
                break
            }
            if shouldStop() {
                // Following, an unfinished last line is still being written: it is left for the next start
                // (the position stays at its first byte), not handed out in halves.
                finished = true
                break
            }
            try waitForGrowth()
            if shouldStop() { continue }
        }
        if keepsPosition, !batch.isEmpty || finished { batch.endPosition = position() }
        return batch.isEmpty && finished ? nil : batch
    }

    /// Moves complete lines from `pending` into the batch; returns `true` when the batch is full.
    ///
    /// A line that grows past the limit without a newline is not held: its first bytes, length and
    /// checksum are kept and the rest skipped until its newline, so memory stays flat whatever the input
    /// (a copy-truncated file can leave gigabytes of NUL bytes without one).
    private func takeLines(into batch: inout LineBatch, maximumLines: Int) -> Bool {
        if skipping != nil, !skipPastNewline(into: &batch) { return false }
        var start = 0
        var full = false
        pending.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // memchr finds newlines with vector instructions; a byte loop showed in profiles.
            while start < buffer.count,
                let found = memchr(base + start, 0x0A, buffer.count - start)
            {
                let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                append(buffer[start..<newline], to: &batch)
                start = newline + 1
                if batch.lines.count >= maximumLines {
                    full = true
                    break
                }
            }
        }
        if start > 0 { pending.removeFirst(start) }
        if !full, pending.count > maximumLineLength {
            skipStart = offset - Int64(pending.count)
            skipping = (
                Array(pending.prefix(LineBatch.oversizePrefix)), pending.count,
                pending.withUnsafeBytes { CRC32C.checksum($0) }
            )
            pending.removeAll(keepingCapacity: true)
        }
        return full
    }

    /// Goes on skipping an oversized line: absorbs `pending` up to its newline (all of it when there is
    /// none yet) and, at the newline, hands the line out; returns whether it ended.
    private func skipPastNewline(into batch: inout LineBatch) -> Bool {
        guard var line = skipping else { return true }
        let newline = pending.firstIndex(of: 0x0A)
        let end = newline ?? pending.count
        line.length += end
        if line.prefix.count < LineBatch.oversizePrefix {
            line.prefix += pending[..<min(end, LineBatch.oversizePrefix - line.prefix.count)]
        }
        line.checksum = pending.withUnsafeBytes {
            CRC32C.update(line.checksum, with: UnsafeRawBufferPointer(rebasing: $0[..<end]))
        }
        pending.removeFirst(newline.map { $0 + 1 } ?? end)
        skipping = line
        guard newline != nil else { return false }
        appendOversized(into: &batch)
        return true
    }

    /// Hands out the line being skipped: its prefix, marked with its length and checksum.
    private func appendOversized(into batch: inout LineBatch) {
        guard let line = skipping else { return }
        skipping = nil
        let number = nextLineNumber
        nextLineNumber += 1
        let lower = batch.storage.count
        batch.storage.append(contentsOf: line.prefix)
        batch.lines.append(
            LineBatch.Line(
                range: lower..<batch.storage.count, number: number,
                oversize: LineBatch.Oversize(length: line.length, checksum: line.checksum)))
    }

    private func append(_ line: Slice<UnsafeBufferPointer<UInt8>>, to batch: inout LineBatch) {
        var end = line.endIndex
        if end > line.startIndex, line[end - 1] == 0x0D { end -= 1 }  // CRLF files
        let number = nextLineNumber
        nextLineNumber += 1
        // Blank lines are skipped, not rejected: trailing newlines and spacing are common in exports.
        var blank = true
        for i in line.startIndex..<end where line[i] != 0x20 && line[i] != 0x09 {
            blank = false
            break
        }
        if blank { return }
        let lower = batch.storage.count
        if end - line.startIndex > maximumLineLength {
            // Complete in one read, yet past the limit: recorded like one that was skipped.
            let whole = UnsafeBufferPointer(rebasing: line[line.startIndex..<end])
            batch.storage.append(contentsOf: whole.prefix(LineBatch.oversizePrefix))
            batch.lines.append(
                LineBatch.Line(
                    range: lower..<batch.storage.count, number: number,
                    oversize: LineBatch.Oversize(
                        length: whole.count, checksum: CRC32C.checksum(UnsafeRawBufferPointer(whole)))))
            return
        }
        batch.storage.append(contentsOf: line[line.startIndex..<end])
        batch.lines.append(LineBatch.Line(range: lower..<batch.storage.count, number: number))
    }

    private func finishPartialLine(into batch: inout LineBatch) {
        if skipping != nil {
            // The input ended inside an oversized line: it is handed out as it is.
            pending.append(0x0A)
            _ = skipPastNewline(into: &batch)
            return
        }
        guard !pending.isEmpty else { return }
        pending.append(0x0A)
        _ = takeLines(into: &batch, maximumLines: Int.max)
    }

    private func readBlock() throws(EngineError) -> Int {
        while true {
            let count = readBuffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                pending.append(contentsOf: readBuffer[0..<count])
                if count >= Self.fingerprintLength {
                    fingerprint = Array(readBuffer[(count - Self.fingerprintLength)..<count])
                } else if count > 0 {
                    fingerprint = Array((fingerprint + readBuffer[0..<count]).suffix(Self.fingerprintLength))
                }
                offset += Int64(count)
                bytesRead += Int64(count)
                return count
            }
            if errno == EINTR { continue }
            throw EngineError(
                .io, "cannot read \(sourceName): \(String(cString: strerror(errno)))",
                remedy: "check the file's permissions and the disk")
        }
    }
}
