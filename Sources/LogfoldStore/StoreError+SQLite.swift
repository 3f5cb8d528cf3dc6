internal import GRDB
internal import GRDBSQLite

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

extension StoreError {
    /// Maps an SQLite result code to a `StoreError` that says what was being done, on which file, and
    /// what to do.
    ///
    /// This is the only place that knows what SQLite's codes mean, so every caller gets the same code
    /// and the same advice.
    static func sqlite(
        _ extendedCode: Int32,
        reason: String,
        doing operation: String,
        path: String,
        file: String = #fileID,
        line: Int = #line
    ) -> StoreError {
        var (code, advice) = classify(extendedCode & 0xFF)
        if extendedCode & 0xFF == SQLITE_IOERR, let free = freeBytes(besides: path), free < 1 << 20 {
            // A full disk reaches SQLite as an I/O error when the WAL index or a page cannot grow.
            advice = "The disk holding it is full (\(free) bytes free); free space and retry."
        }
        var message = "\(operation) failed for the state store at \(path): \(reason)."
        if !advice.isEmpty { message += " " + advice }
        return StoreError(code: code, message: message, sqliteCode: extendedCode, file: file, line: line)
    }

    /// Wraps whatever a GRDB access threw: a `StoreError` passes through unchanged, a GRDB
    /// `DatabaseError` is mapped by its result code, anything else becomes ``Code/unknown`` with the
    /// original as its cause.
    package static func wrapping(
        _ error: any Error,
        doing operation: String,
        path: String,
        file: String = #fileID,
        line: Int = #line
    ) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            var mapped = sqlite(
                error.extendedResultCode.rawValue,
                reason: error.message ?? "\(error.resultCode)",
                doing: operation,
                path: path,
                file: file,
                line: line
            )
            mapped.cause = error
            return mapped
        }
        return StoreError(
            code: .unknown,
            message: "\(operation) failed for the state store at \(path): \(error).",
            cause: SendableDescription(error),
            file: file,
            line: line
        )
    }

    /// Bytes free to unprivileged writers on the filesystem holding `path`, or `nil` if unknown.
    private static func freeBytes(besides path: String) -> UInt64? {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var info = statvfs()
        guard statvfs(directory.isEmpty ? "/" : directory, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    private static func classify(_ primary: Int32) -> (Code, String) {
        switch primary {
        case SQLITE_CORRUPT:
            return (.corrupt, "The database file is damaged; delete it and rebuild it with `logfold replay`.")
        case SQLITE_NOTADB:
            return (.notADatabase, "The file is not an SQLite database; point logfold at its own data directory.")
        case SQLITE_CONSTRAINT:
            return (.constraint, "A row broke the schema's constraints; this is a projection bug, report it.")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return (.busy, "Another process holds the store locked; stop it or retry later.")
        case SQLITE_FULL:
            return (.io, "The disk is full; free space and retry.")
        case SQLITE_CANTOPEN:
            return (.io, "Check that the directory exists and is writable.")
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH:
            return (.io, "Check the file's permissions and that the filesystem is writable.")
        case SQLITE_IOERR, SQLITE_NOLFS:
            return (.io, "The operating system reported an I/O error; check the disk before retrying.")
        case SQLITE_NOMEM:
            return (.io, "Out of memory.")
        case SQLITE_SCHEMA:
            return (.schema, "The schema changed under a prepared statement; retry.")
        case SQLITE_RANGE, SQLITE_MISMATCH, SQLITE_TOOBIG:
            return (.invalidArgument, "A value does not fit the column; this is a bug, report it.")
        default:
            return (.unknown, "")
        }
    }
}

/// A non-`Sendable` error's description, kept as a `Sendable` cause.
struct SendableDescription: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        description = String(describing: error)
    }
}
