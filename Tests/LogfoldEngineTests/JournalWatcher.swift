import Foundation
import LogfoldJournal

/// Reads the head of a journal another process (a child `logfold`) is writing, opening it once the
/// child has created it.
final class JournalWatcher {
    private let data: String
    /// The journal, once it exists and a `head()` call opened it.
    private(set) var journal: Journal?

    /// Watches the journal of the data directory `data`.
    init(data: String) { self.data = data }

    /// The journal head; 0 while the journal does not exist yet.
    func head() throws -> UInt64 {
        if journal == nil, FileManager.default.fileExists(atPath: data + "/journal/data.mdb") {
            journal = try Journal(directory: data + "/journal")
        }
        return try journal?.head() ?? 0
    }
}
