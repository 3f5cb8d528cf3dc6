internal import CLMDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension JournalError {
    /// Maps an LMDB (or errno) return code to a `JournalError`.
    ///
    /// This is the only place that knows what LMDB's codes mean, so every caller gets the same code and
    /// the same advice.
    static func lmdb(
        _ rc: Int32,
        _ operation: String,
        path: String,
        seq: UInt64? = nil,
        file: String = #fileID,
        line: Int = #line
    ) -> JournalError {
        let (code, advice) = classify(rc)
        let reason = String(cString: mdb_strerror(rc))
        var message = "\(operation) failed for the journal at \(path)"
        if let seq { message += " (seq \(seq))" }
        message += ": \(reason)."
        if !advice.isEmpty { message += " " + advice }
        return JournalError(code: code, message: message, seq: seq, lmdbCode: rc, file: file, line: line)
    }

    private static func classify(_ rc: Int32) -> (Code, String) {
        switch rc {
        case MDB_MAP_FULL:
            return (.mapFull, "Raise maximumMapSize (or remove it) and make sure the disk has room.")
        case MDB_MAP_RESIZED:
            return (.mapResized, "Another process grew the map; retry the operation.")
        case MDB_NOTFOUND:
            return (.notFound, "")
        case MDB_CORRUPTED, MDB_PAGE_NOTFOUND:
            return (.corruptDatabase, "The LMDB file is damaged; restore the journal from a backup or re-ingest.")
        case MDB_VERSION_MISMATCH, MDB_INVALID, MDB_INCOMPATIBLE:
            return (
                .versionMismatch,
                "The directory does not hold a journal this build can read; point logfold at another directory."
            )
        case MDB_READERS_FULL:
            return (.readersFull, "Raise maxReaders, or end idle readers and stale processes holding reader slots.")
        case MDB_TXN_FULL, MDB_CURSOR_FULL:
            return (.transactionFull, "Append smaller batches.")
        case MDB_KEYEXIST:
            return (.corruptDatabase, "A key that must be new already exists; the journal's sequence is inconsistent.")
        case MDB_DBS_FULL, MDB_BAD_DBI, MDB_BAD_RSLOT, MDB_BAD_TXN, MDB_BAD_VALSIZE, MDB_PANIC, MDB_TLS_FULL,
            MDB_PAGE_FULL:
            return (.unknown, "This is a bug in the journal or its environment; report it with this message.")
        case EINVAL:
            return (.invalidArgument, "")
        case ENOENT:
            return (.notFound, "Check that the journal directory exists.")
        case EACCES, EPERM, EROFS:
            return (.ioError, "Check the journal directory's permissions and that the filesystem is writable.")
        case ENOSPC:
            return (.ioError, "The disk is full; free space and retry.")
        case EIO:
            return (.ioError, "The storage device reported an I/O error; check it before retrying.")
        case ENOMEM:
            return (.ioError, "Out of memory or address space for the map; lower initialMapSize.")
        case EAGAIN, EBUSY:
            return (.busy, "Another process holds a lock on the journal; retry later.")
        default:
            return (.unknown, "")
        }
    }
}
