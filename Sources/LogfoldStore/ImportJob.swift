/// A Klaviyo bulk import job: accepted at once, processed later, with per-profile errors to read.
package struct ImportJob: Sendable, Hashable {
    /// Klaviyo's job id.
    package var id: String
    /// For each profile of the request, in order, the outbox rows it settled.
    package var rows: [[UInt64]]

    /// Creates a job.
    package init(id: String, rows: [[UInt64]]) {
        self.id = id
        self.rows = rows
    }

    var encodedRows: String {
        rows.map { $0.map(String.init).joined(separator: ",") }.joined(separator: ";")
    }

    init(id: String, encodedRows: String) {
        self.id = id
        rows = encodedRows.split(separator: ";", omittingEmptySubsequences: false).map {
            $0.split(separator: ",").compactMap { UInt64($0) }
        }
    }
}
