package import LogfoldDomain
import Metrics

/// The metrics logfold emits through swift-metrics (docs/operations.md#metrics lists each one).
///
/// Emitting costs nothing until a process bootstraps a backend (`logfold run` bootstraps Prometheus and
/// serves `GET /metrics`); one-shot commands emit into swift-metrics' no-op default. Counters are bumped
/// once per batch or request, never per entry. Label values are few and fixed: a source's kind, a
/// rejection's code, a destination's name, an endpoint's path template, an HTTP status.
package enum EngineMetrics {
    /// Entries appended, duplicates and rejections of one batch from a source.
    package static func ingested(source: String, appended: Int, duplicates: Int, rejections: [Rejection]) {
        let kind = sourceKind(source)
        ActivityRecorder.shared.record(.entries, count: appended)
        if appended > 0 {
            Counter(label: "logfold_ingest_entries_total", dimensions: [("source", kind), ("outcome", "appended")])
                .increment(by: appended)
        }
        if duplicates > 0 {
            Counter(label: "logfold_ingest_entries_total", dimensions: [("source", kind), ("outcome", "duplicate")])
                .increment(by: duplicates)
        }
        var byReason: [String: Int] = [:]
        for rejection in rejections { byReason["\(rejection.code)", default: 0] += 1 }
        for (reason, count) in byReason.sorted(by: { $0.key < $1.key }) {
            Counter(label: "logfold_ingest_rejected_total", dimensions: [("source", kind), ("reason", reason)])
                .increment(by: count)
        }
    }

    /// The journal's last seq.
    package static func journalHead(_ head: UInt64) {
        Gauge(label: "logfold_journal_head").record(Double(head))
    }

    /// A projector's checkpoint and how far it is behind the journal.
    package static func projection(checkpoint: UInt64, head: UInt64, behindSeconds: Double) {
        Gauge(label: "logfold_projector_checkpoint").record(Double(checkpoint))
        Gauge(label: "logfold_projector_lag_entries").record(Double(head > checkpoint ? head - checkpoint : 0))
        Gauge(label: "logfold_projector_lag_seconds").record(behindSeconds)
    }

    /// How long reading and folding one batch took.
    static func foldedBatch(_ duration: Duration) {
        Timer(label: "logfold_projector_fold_seconds").recordNanoseconds(duration.nanoseconds)
    }

    /// What the fold holds in memory after a batch: customers decoded, customers set aside (encoded,
    /// `--hot-customers`), and orders.
    static func foldMemory(decodedCustomers: Int, setAsideCustomers: Int, orders: Int) {
        Gauge(label: "logfold_projector_customers", dimensions: [("form", "decoded")]).record(decodedCustomers)
        Gauge(label: "logfold_projector_customers", dimensions: [("form", "set_aside")]).record(setAsideCustomers)
        Gauge(label: "logfold_projector_orders").record(orders)
    }

    /// Customers that left the fold's memory for the store (``Projector/defaultSetAsideCustomers``).
    static func evictedCustomers(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: "logfold_projector_customers_evicted_total").increment(by: count)
    }

    /// How long committing one batch (state, outbox, checkpoint) took.
    static func committedBatch(_ duration: Duration) {
        Timer(label: "logfold_projector_commit_seconds").recordNanoseconds(duration.nanoseconds)
    }

    /// One answered request to a destination (`status` 0: no answer, the connection failed).
    package static func request(destination: String, endpoint: String, status: Int) {
        Counter(
            label: "logfold_destination_requests_total",
            dimensions: [("destination", destination), ("endpoint", endpoint), ("status", String(status))]
        ).increment()
    }

    /// A request retried after a transient failure; `throttled` when the failure was a 429.
    package static func retried(destination: String, throttled: Bool) {
        Counter(label: "logfold_destination_retries_total", dimensions: [("destination", destination)]).increment()
        if throttled {
            Counter(label: "logfold_destination_throttled_total", dimensions: [("destination", destination)])
                .increment()
        }
    }

    /// `http`, `table` or `file`: the kind of a source, from the name the ingestor gives it.
    static func sourceKind(_ source: String) -> String {
        if source.hasPrefix("http") { return "http" }
        if source.hasPrefix("sqlite") { return "table" }
        return "file"
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product + attoseconds / 1_000_000_000
    }
}
