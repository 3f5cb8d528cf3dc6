import Foundation
package import LogfoldDomain

/// Appends rejected lines, with why and where, to the rejects file as JSON Lines.
///
/// Each record keeps the original line (`raw`, or `raw_base64` when it is not UTF-8) so nothing is
/// lost: fix the lines and ingest them again (`jq -r .raw rejects.jsonl > fixed.jsonl`).
package final class RejectsWriter: @unchecked Sendable {
    // @unchecked: `handle` and `size` are only touched under `lock` (rotate and openHandle run inside write).
    package let path: String
    /// Past this size the file is rotated: renamed to `PATH.1` (replacing an older one) and a new one
    /// begun, so a stream of junk cannot fill the disk; at most twice this is kept.
    package let maximumBytes: Int64
    private var handle: FileHandle?
    private var size: Int64 = 0
    private let lock = NSLock()

    /// The default rotation size: 256 MiB.
    package static let defaultMaximumBytes: Int64 = 256 << 20

    /// Opens (creating) the rejects file for appending; the file is created only when a line is
    /// rejected, so a clean run leaves no empty file behind.
    package init(path: String, maximumBytes: Int64 = RejectsWriter.defaultMaximumBytes) {
        self.path = path
        self.maximumBytes = max(1, maximumBytes)
    }

    deinit { try? handle?.close() }

    /// Writes one record per rejection, in the order given; with `durable`, on disk before it returns.
    package func write(_ rejections: [(Rejection, [UInt8])], durable: Bool = false) throws(EngineError) {
        guard !rejections.isEmpty else { return }
        var text = ""
        for (rejection, raw) in rejections { text += Self.record(rejection, raw: raw) + "\n" }
        lock.lock()
        defer { lock.unlock() }
        do {
            if size > 0, size + Int64(text.utf8.count) > maximumBytes { try rotate() }
            let handle = try openHandle()
            try handle.write(contentsOf: Data(text.utf8))
            size += Int64(text.utf8.count)
            if durable { try handle.synchronize() }
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(
                .io, "cannot write the rejects file \(path): \(error)",
                remedy: "check the path and free disk space, or pass --rejects FILE", cause: error)
        }
    }

    /// Moves the full file to `PATH.1` (replacing the one before) and lets the next write begin a new one.
    private func rotate() throws {
        try handle?.close()
        handle = nil
        let rotated = path + ".1"
        if FileManager.default.fileExists(atPath: rotated) { try FileManager.default.removeItem(atPath: rotated) }
        try FileManager.default.moveItem(atPath: path, toPath: rotated)
        size = 0
    }

    private func openHandle() throws -> FileHandle {
        if let handle { return handle }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw EngineError(
                    .io, "cannot create the rejects file \(path)", remedy: "check the directory's permissions")
            }
        }
        let opened = try FileHandle(forWritingTo: url)
        size = Int64(try opened.seekToEnd())
        handle = opened
        return opened
    }

    /// One rejects-file record: a JSON object with a fixed member order.
    package static func record(_ rejection: Rejection, raw: [UInt8]) -> String {
        var members: [(String, String)] = []
        members.append(("source", JSONText.quote(rejection.source ?? "")))
        if let line = rejection.line { members.append(("line", String(line))) }
        if let id = rejection.entryID { members.append(("entry_id", String(id))) }
        members.append(("code", JSONText.quote(rejection.code.rawValue)))
        if let field = rejection.field { members.append(("field", JSONText.quote(field))) }
        members.append(("reason", JSONText.quote(rejection.reason)))
        members.append(("remedy", JSONText.quote(rejection.remedy)))
        if let offset = rejection.byteOffset { members.append(("byte_offset", String(offset))) }
        // A line too long to hold keeps its first bytes, length and checksum, not the whole line: a
        // runaway line must not fill the disk a second time.
        let truncated = rejection.lineLength != nil
        if let length = rejection.lineLength { members.append(("line_bytes", String(length))) }
        if let checksum = rejection.lineChecksum { members.append(("line_crc32c", String(checksum))) }
        if let text = String(validating: raw, as: UTF8.self) {
            members.append((truncated ? "raw_prefix" : "raw", JSONText.quote(text)))
        } else {
            members.append(
                (truncated ? "raw_prefix_base64" : "raw_base64", JSONText.quote(Data(raw).base64EncodedString())))
        }
        return "{" + members.map { JSONText.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
