import Foundation
package import LogfoldJournal
package import LogfoldStore

/// The data directory every command shares (`--data DIR`): the journal, the rejects file, and later
/// the state store and outbox.
package struct DataDirectory: Sendable {
    /// The directory's path as given.
    package let root: String

    /// Uses `path`, else `$LOGFOLD_DATA`, else `./data`.
    package init(_ path: String?) {
        root = path ?? ProcessInfo.processInfo.environment["LOGFOLD_DATA"] ?? "./data"
    }

    /// The LMDB journal's directory.
    package var journalPath: String { root + "/journal" }
    /// Where rejected lines go unless `--rejects` says otherwise.
    package var defaultRejectsPath: String { root + "/rejects.jsonl" }

    /// The SQLite state store: customers, orders, outbox, checkpoints, delivery ledger.
    package var statePath: String { root + "/state.sqlite" }

    /// Opens (creating and migrating on first use) the state store; refuses one a replay left before it
    /// wrote its customers.
    package func openStore() throws(EngineError) -> StateStore {
        let store: StateStore
        do {
            try FileManager.default.createDirectory(
                atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            FileModes.tighten(directory: root)
            store = try StateStore(path: statePath)
        } catch {
            throw EngineError(
                .io, "cannot open the state store \(statePath): \(error)", remedy: Self.remedy(for: error))
        }
        try refuseUnfinishedReplay(store)
        return store
    }

    /// Refuses a store a replay left before writing its customers (they go in when a replay ends, ADR 0005
    /// decision 4): its outbox is whole up to its checkpoint, its customers are not, so folding on, sending
    /// or digesting it would be wrong.
    private func refuseUnfinishedReplay(_ store: StateStore) throws(EngineError) {
        let since: UInt64?
        do {
            since = try store.unwrittenCustomersSince()
        } catch {
            throw EngineError(
                .io, "cannot read the state store \(statePath): \(error)", remedy: Self.remedy(for: error))
        }
        guard let since else { return }
        if let replay = DirectoryLock.holder(of: root + DirectoryLock.replay) {
            throw EngineError(
                .configuration,
                "\(root) is being built by a replay that is still running (pid \(replay)): it writes its customers "
                    + "when it ends",
                remedy: "wait for that `logfold replay` to finish, then run this again")
        }
        throw EngineError(
            .configuration,
            "\(root) holds a replay that stopped before it wrote its customers (a replay writes them when it "
                + "ends; its fold started at seq \(since))",
            remedy: "delete \(root) and run `logfold replay --into \(root)` again: the journal lost nothing")
    }

    /// What to do about a store that does not open: only a damaged file calls for a rebuild.
    static func remedy(for error: any Error) -> String {
        if let error = error as? StoreError {
            switch error.code {
            case .corrupt, .notADatabase, .schema:
                return "the store can be rebuilt from the journal with `logfold replay`"
            case .io where error.message.contains("full"):
                return "free space on that disk and re-run: the journal and the store lost nothing"
            default: break
            }
        }
        return "check the directory's permissions and its disk; the journal is the source of truth"
    }

    /// Opens the state store of a directory that was projected, failing clearly when there is none
    /// (read-only commands must not create an empty store in a mistyped directory).
    package func openExistingStore() throws(EngineError) -> StateStore {
        guard FileManager.default.fileExists(atPath: statePath) else {
            throw EngineError(
                .notFound, "no state store in \(root)",
                remedy: "run `logfold project --data \(root)` first, or check --data")
        }
        return try openStore()
    }

    /// Opens (creating on first use) the journal.
    package func openJournal(configuration: JournalConfiguration = JournalConfiguration()) throws(EngineError)
        -> Journal
    {
        do {
            try FileManager.default.createDirectory(
                atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            FileModes.tighten(directory: root)
        } catch {
            throw EngineError(
                .io, "cannot create the data directory \(root): \(error.localizedDescription)",
                remedy: "choose a writable --data DIR")
        }
        do {
            return try Journal(directory: journalPath, configuration: configuration)
        } catch {
            throw EngineError(.journal, error.description, remedy: "see the journal error", cause: error)
        }
    }

    /// Opens an existing journal, failing clearly when the directory has none yet.
    package func openExistingJournal() throws(EngineError) -> Journal {
        guard FileManager.default.fileExists(atPath: journalPath + "/data.mdb") else {
            throw EngineError(
                .notFound, "no journal in \(root)", remedy: "run `logfold ingest --data \(root) FILE` first")
        }
        return try openJournal()
    }
}
