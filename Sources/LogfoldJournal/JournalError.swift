/// The one error type the journal throws: what happened, where, and what to do about it.
///
/// Shaped like swift-nio's `FileSystemError`: a stable, switchable ``Code``, a human message written for
/// the operator, the record's sequence number when one is involved, the raw LMDB return code when the
/// failure came from LMDB, and the throw site so a log line leads straight to the code that gave up.
package struct JournalError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// What went wrong, as an extensible set of static members (new codes do not break `switch`es
    /// that already have a `default`).
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case mapFull, mapResized, corruptRecord, corruptDatabase, ioError, notFound, invalidArgument
            case versionMismatch, readersFull, transactionFull, alreadyOpen, busy, unknown
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The memory map is full and may not grow any further (``JournalConfiguration/maximumMapSize``).
        package static var mapFull: Code { Code(.mapFull) }
        /// Another process grew the map; the journal adopts the new size and retries by itself.
        package static var mapResized: Code { Code(.mapResized) }
        /// A record failed its checksum or structural checks; ``JournalError/seq`` names it.
        package static var corruptRecord: Code { Code(.corruptRecord) }
        /// LMDB found its own B-tree pages damaged (not just one record's bytes).
        package static var corruptDatabase: Code { Code(.corruptDatabase) }
        /// The operating system failed a read, write, sync or file operation.
        package static var ioError: Code { Code(.ioError) }
        /// A file, directory or key that must exist does not.
        package static var notFound: Code { Code(.notFound) }
        /// The caller passed something the journal cannot store or use.
        package static var invalidArgument: Code { Code(.invalidArgument) }
        /// The directory holds a journal (or LMDB file) in a format this build does not understand.
        package static var versionMismatch: Code { Code(.versionMismatch) }
        /// Every LMDB reader slot is taken (``JournalConfiguration/maxReaders``).
        package static var readersFull: Code { Code(.readersFull) }
        /// One write transaction dirtied more pages than LMDB allows; append smaller batches.
        package static var transactionFull: Code { Code(.transactionFull) }
        /// This process already has the journal directory open; share that `Journal` instead.
        package static var alreadyOpen: Code { Code(.alreadyOpen) }
        /// The operation would deadlock or the resource is locked (for example appending from inside
        /// `forEach` when the map must grow).
        package static var busy: Code { Code(.busy) }
        /// Anything not covered above; ``JournalError/lmdbCode`` usually says more.
        package static var unknown: Code { Code(.unknown) }

        /// The member's name, for example `corruptRecord`.
        package var description: String { base.rawValue }
    }

    /// What went wrong, for programs.
    package var code: Code
    /// What happened, where (path, seq, platform id) and what to do, for people.
    package var message: String
    /// The record's sequence number, when the error concerns one record.
    package var seq: UInt64?
    /// The raw LMDB (or errno) return code, when the failure came from the C library.
    package var lmdbCode: Int32?
    /// The source file (`#fileID`) that threw.
    package var file: String
    /// The source line that threw.
    package var line: Int

    /// Creates an error; `file` and `line` default to the call site so every throw records where it was.
    package init(
        code: Code,
        message: String,
        seq: UInt64? = nil,
        lmdbCode: Int32? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.seq = seq
        self.lmdbCode = lmdbCode
        self.file = file
        self.line = line
    }

    /// What an operator reads: the message with the seq and LMDB's code when there are any.
    ///
    /// The source file and line stay out of it (``debugDescription`` has them).
    package var description: String {
        var details: [String] = []
        if let seq { details.append("seq \(seq)") }
        if let lmdbCode { details.append("lmdb \(lmdbCode)") }
        return message + (details.isEmpty ? "" : " (" + details.joined(separator: ", ") + ")")
    }

    /// For a bug report: the code, the message and where it was thrown.
    package var debugDescription: String { "JournalError.\(code): \(description) at \(file):\(line)" }
}
