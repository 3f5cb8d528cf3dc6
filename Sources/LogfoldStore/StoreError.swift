/// The one error type the state store throws: what happened, where, and what to do about it.
///
/// Shaped like swift-nio's `FileSystemError`: a stable, switchable ``Code``, a human message written for
/// the operator (the store's path, the row's key or the checkpoint's seq, and the remedy), the raw SQLite
/// result code when the failure came from SQLite, the underlying error when there was one, and the throw
/// site so a log line leads straight to the code that gave up.
package struct StoreError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// What went wrong, as an extensible set of static members (new codes do not break `switch`es that
    /// already have a `default`).
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case io, corrupt, checkpointMoved, schema, constraint, busy, invalidArgument, notADatabase, unknown
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The operating system failed to open, read, write or sync the store's files, or the disk is full.
        package static var io: Code { Code(.io) }
        /// SQLite found the database file damaged; delete it and rebuild it from the journal.
        package static var corrupt: Code { Code(.corrupt) }
        /// Another writer moved the projector's checkpoint since it was read; the batch was rolled back.
        package static var checkpointMoved: Code { Code(.checkpointMoved) }
        /// The file's schema is newer than this build or a migration failed.
        package static var schema: Code { Code(.schema) }
        /// A row broke a constraint (for example two outbox rows with one ordinal but different keys).
        package static var constraint: Code { Code(.constraint) }
        /// Another process held the database locked for longer than the busy timeout.
        package static var busy: Code { Code(.busy) }
        /// The caller passed a value the store cannot keep (for example a seq above `Int64.max`).
        package static var invalidArgument: Code { Code(.invalidArgument) }
        /// The file exists but is not an SQLite database.
        package static var notADatabase: Code { Code(.notADatabase) }
        /// Anything not covered above; ``StoreError/sqliteCode`` usually says more.
        package static var unknown: Code { Code(.unknown) }

        /// The member's name, for example `checkpointMoved`.
        package var description: String { base.rawValue }
    }

    /// What went wrong, for programs.
    package var code: Code
    /// What happened, where (path, key, seq) and what to do, for people.
    package var message: String
    /// The extended SQLite result code, when the failure came from SQLite.
    package var sqliteCode: Int32?
    /// The error that caused this one, when there was one (a GRDB or a caller's error).
    package var cause: (any Error & Sendable)?
    /// The source file (`#fileID`) that threw.
    package var file: String
    /// The source line that threw.
    package var line: Int

    /// Creates an error; `file` and `line` default to the call site so every throw records where it was.
    package init(
        code: Code,
        message: String,
        sqliteCode: Int32? = nil,
        cause: (any Error & Sendable)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
        self.cause = cause
        self.file = file
        self.line = line
    }

    /// What an operator reads: the message, with SQLite's result code when there is one.
    ///
    /// The source file and line stay out of it (``debugDescription`` has them).
    package var description: String {
        message + (sqliteCode.map { " (sqlite \($0))" } ?? "")
    }

    /// For a bug report: the code, the message and where it was thrown.
    package var debugDescription: String {
        "StoreError.\(code): \(description) at \(file):\(line)"
    }
}
