package import LogfoldEngine

/// What a `logfold run` did between start and stop.
package struct DaemonReport: Sendable {
    /// Lines from the followed file.
    package var follow = IngestSummary()
    /// Rows of the polled table.
    package var table = IngestSummary()
    /// Lines posted to the HTTP endpoint.
    package var http = IngestSummary()
    /// HTTP ingest requests answered.
    package var httpRequests = 0
    /// What the projector folded, summed over its passes.
    package var projected = Projector.Summary()
    /// What the sender delivered; `nil` when sending was off.
    package var sent: SendReport?
    /// What the ActiveCampaign sender did, as its summary line; `nil` when it was not running.
    package var activeCampaign: String?
    /// Why parts of the daemon stopped before they were asked to, first failure first.
    package var failures: [String] = []

    /// Every source together, in the contract's `ingested N, duplicates N, rejected N` line.
    package var ingested: IngestSummary {
        var total = IngestSummary()
        total.ingested = follow.ingested + table.ingested + http.ingested
        total.duplicates = follow.duplicates + table.duplicates + http.duplicates
        total.rejected = follow.rejected + table.rejected + http.rejected
        total.lines = follow.lines + table.lines + http.lines
        total.bytes = follow.bytes + table.bytes + http.bytes
        total.head = max(follow.head, table.head, http.head)
        return total
    }
}
