/// Which `revision` header values the sandbox answers, and how it refuses the others — the way
/// Klaviyo does: missing or malformed → 400, retired → 410, unknown future → 400.
package struct RevisionPolicy: Sendable, Hashable {
    /// The oldest revision still served; older ones answer 410 `gone`.
    package var oldest: String
    /// The newest revision known; newer ones answer 400.
    package var newest: String
    /// The first revision where events take `backfill`.
    package var backfillSince: String

    /// Klaviyo's figures at the time of writing: two years of revisions up to 2026-07-15.
    package init(oldest: String = "2024-07-15", newest: String = "2026-07-15", backfillSince: String = "2026-04-15") {
        self.oldest = oldest
        self.newest = newest
        self.backfillSince = backfillSince
    }

    /// The date part (`YYYY-MM-DD`) of an accepted `revision` header, or the error to answer.
    package func check(_ header: String?) -> Result<String, SandboxAPIError> {
        guard let header, !header.isEmpty else {
            return .failure(
                SandboxAPIError(
                    status: 400, code: "invalid", title: "Invalid input.",
                    detail: "The 'revision' header is required (a date such as \(newest)).", parameter: "revision"))
        }
        let date = String(header.prefix { $0 != "." })
        guard date.utf8.count == 10, let seconds = Timestamp.unixSeconds(date + "T00:00:00Z"),
            Timestamp.format(unixSeconds: seconds).hasPrefix(date)
        else {
            return .failure(
                SandboxAPIError(
                    status: 400, code: "invalid", title: "Invalid input.",
                    detail: "Invalid revision '\(header)': expected YYYY-MM-DD[.suffix].", parameter: "revision"))
        }
        if date < oldest {
            return .failure(
                SandboxAPIError(
                    status: 410, code: "gone", title: "Revision retired.",
                    detail: "Revision \(date) is no longer supported; the oldest served is \(oldest).",
                    parameter: "revision"))
        }
        if date > newest {
            return .failure(
                SandboxAPIError(
                    status: 400, code: "invalid", title: "Invalid input.",
                    detail: "Unknown revision '\(header)'; the newest is \(newest).", parameter: "revision"))
        }
        return .success(date)
    }

    /// Whether requests of `revision` (a checked date) may send `backfill`.
    package func allowsBackfill(_ revision: String) -> Bool { revision >= backfillSince }
}
