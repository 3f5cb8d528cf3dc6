internal import CLMDB
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one owner of a journal directory's LMDB environment in this process: the `MDB_env`, its three
/// named databases, the writer lock and the resize gate.
///
/// Every transaction starts and ends inside one synchronous closure (`withRead`, `withWrite`), so no
/// LMDB pointer escapes and no transaction spans an `await`.
final class LMDBEnvironment: @unchecked Sendable {
    // Unchecked Sendable: `handle` is used only as LMDB documents for `MDB_NOTLS` environments (read
    // transactions on any thread, one write transaction at a time via `writer`, map resizes only with
    // `gate` held exclusively); the other stored properties are immutable.

    /// The journal value format this build reads and writes, stored under "format" in "meta".
    static let formatMarker = "logfold-journal-1"
    static let formatKey = "format"
    static let recordBytesKey = "recordBytes"

    /// The canonical journal directory path.
    let path: String
    /// seq (8-byte big-endian) → record (format v1).
    let records: MDB_dbi
    /// platform id (8-byte big-endian) → seq (8-byte big-endian).
    let ids: MDB_dbi
    /// Format marker and running counters.
    let meta: MDB_dbi

    let handle: OpaquePointer
    let maximumMapSize: Int?
    let writer = Mutex<Void>(())
    let gate = ResizeGate()

    private init(
        path: String, handle: OpaquePointer, records: MDB_dbi, ids: MDB_dbi, meta: MDB_dbi, maximumMapSize: Int?
    ) {
        self.path = path
        self.handle = handle
        self.records = records
        self.ids = ids
        self.meta = meta
        self.maximumMapSize = maximumMapSize
    }

    deinit {
        mdb_env_close(handle)
        OpenEnvironments.release(path)
    }

    /// Opens (creating if needed) the environment in `directory` and checks its format marker.
    static func open(directory: String, configuration: JournalConfiguration) throws(JournalError) -> LMDBEnvironment {
        try validate(configuration, directory: directory)
        let path = try prepareDirectory(directory)
        guard OpenEnvironments.claim(path) else {
            throw JournalError(
                code: .alreadyOpen,
                message: "The journal at \(path) is already open in this process. Share that Journal instance "
                    + "instead of opening the directory again."
            )
        }
        var handle: OpaquePointer?
        let rc = mdb_env_create(&handle)
        guard rc == MDB_SUCCESS, let handle else {
            OpenEnvironments.release(path)
            throw .lmdb(rc, "Creating the LMDB environment", path: path)
        }
        do throws(JournalError) {
            let (records, ids, meta) = try configure(handle, path: path, configuration: configuration)
            return LMDBEnvironment(
                path: path, handle: handle, records: records, ids: ids, meta: meta,
                maximumMapSize: configuration.maximumMapSize
            )
        } catch {
            mdb_env_close(handle)
            OpenEnvironments.release(path)
            throw error
        }
    }

    private static func validate(_ configuration: JournalConfiguration, directory: String) throws(JournalError) {
        func invalid(_ what: String) -> JournalError {
            JournalError(code: .invalidArgument, message: "Cannot open the journal at \(directory): \(what).")
        }
        guard configuration.initialMapSize > 0 else { throw invalid("initialMapSize must be positive") }
        if let maximum = configuration.maximumMapSize, maximum < configuration.initialMapSize {
            throw invalid(
                "maximumMapSize (\(maximum)) is smaller than initialMapSize (\(configuration.initialMapSize))")
        }
        guard configuration.maxReaders > 0, configuration.maxReaders <= Int(UInt32.max) else {
            throw invalid("maxReaders must be between 1 and \(UInt32.max)")
        }
    }

    /// Creates the directory if missing and returns its canonical path (the registry key).
    private static func prepareDirectory(_ directory: String) throws(JournalError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JournalError(
                code: .ioError,
                message:
                    "Cannot create the journal directory \(directory): \(error). Check the path and its permissions."
            )
        }
        guard let resolved = realpath(directory, nil) else {
            throw .lmdb(errno, "Resolving the journal directory", path: directory)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func configure(
        _ handle: OpaquePointer,
        path: String,
        configuration: JournalConfiguration
    ) throws(JournalError) -> (MDB_dbi, MDB_dbi, MDB_dbi) {
        func check(_ rc: Int32, _ operation: String) throws(JournalError) {
            guard rc == MDB_SUCCESS else { throw .lmdb(rc, operation, path: path) }
        }
        let isNew = access(path + "/data.mdb", F_OK) != 0
        try check(mdb_env_set_maxdbs(handle, 3), "Setting the number of databases")
        try check(mdb_env_set_maxreaders(handle, UInt32(configuration.maxReaders)), "Setting maxReaders")
        // An existing journal keeps the (possibly grown) size recorded in its file; setting a size
        // before opening would override it with the smaller initial one.
        if isNew {
            try check(mdb_env_set_mapsize(handle, configuration.initialMapSize), "Setting the map size")
        }
        var flags = UInt32(MDB_NOTLS)
        if configuration.durability == .nosync {
            flags |= UInt32(MDB_NOSYNC | MDB_NOMETASYNC)
        }
        try check(mdb_env_open(handle, path, flags, 0o644), "Opening the LMDB environment")
        // A killed process leaves its reader slot behind; it would pin old pages (the file only grows)
        // and use up maxReaders. LMDB does not clear them by itself.
        var staleReaders: Int32 = 0
        try check(mdb_reader_check(handle, &staleReaders), "Clearing stale reader slots")
        if !isNew {
            var info = MDB_envinfo()
            try check(mdb_env_info(handle, &info), "Reading the map size")
            if info.me_mapsize < configuration.initialMapSize {
                try check(mdb_env_set_mapsize(handle, configuration.initialMapSize), "Setting the map size")
            }
        }
        let txn = try LMDBTransaction(environment: handle, readOnly: false, path: path)
        let records = try txn.openDatabase(named: "records", create: true)
        let ids = try txn.openDatabase(named: "ids", create: true)
        let meta = try txn.openDatabase(named: "meta", create: true)
        try checkFormat(txn, records: records, meta: meta)
        try txn.commit()
        return (records, ids, meta)
    }

    /// Refuses a journal written in another format; stamps the marker on a new one.
    private static func checkFormat(_ txn: borrowing LMDBTransaction, records: MDB_dbi, meta: MDB_dbi)
        throws(JournalError)
    {
        let expected = Array(formatMarker.utf8)
        let key = Array(formatKey.utf8)
        let found = try key.withBytes { key throws(JournalError) in try txn.get(meta, key: key).map { [UInt8]($0) } }
        if let found {
            guard found == expected else {
                let name = String(decoding: found, as: UTF8.self)
                throw JournalError(
                    code: .versionMismatch,
                    message: "The journal at \(txn.path) has format \"\(name)\" but this build reads only "
                        + "\"\(formatMarker)\". Open it with a logfold build that supports that format, or point "
                        + "logfold at another directory."
                )
            }
            return
        }
        guard try txn.entryCount(records) == 0 else {
            throw JournalError(
                code: .versionMismatch,
                message: "The journal at \(txn.path) holds records but no format marker, so it was not written by "
                    + "logfold-journal. Point logfold at another directory."
            )
        }
        try key.withBytes { key throws(JournalError) in
            try expected.withBytes { value throws(JournalError) in try txn.put(meta, key: key, value: value) }
        }
    }
}
