import Foundation
import Hummingbird
import LogfoldDomain
package import LogfoldEngine
package import LogfoldJournal
package import LogfoldStore
import Metrics
package import Prometheus

/// The daemon's Prometheus exporter: `GET /metrics` in the text format, and `GET /v1/status`.
///
/// Counters and histograms are recorded where things happen (``EngineMetrics``); the gauges read from the
/// store (outbox rows by destination and status, unsettled rows by kind, the oldest pending row's age,
/// events possibly repeated) are computed when Prometheus scrapes, so an idle daemon does no work for them.
package final class DaemonMetrics: Sendable {
    /// The registry the process's swift-metrics backend writes to.
    package let registry: PrometheusCollectorRegistry
    private let journal: Journal
    private let store: StateStore
    private let now: @Sendable () -> Int64

    /// Makes the registry and bootstraps swift-metrics with it: once per process (`logfold run` only).
    package static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Folds and commits take milliseconds to seconds; requests tens of milliseconds to a minute.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// An exporter over `registry` that reads gauges from `journal` and `store`; `now` gives unix seconds.
    package init(
        registry: PrometheusCollectorRegistry, journal: Journal, store: StateStore,
        now: @escaping @Sendable () -> Int64
    ) {
        self.registry = registry
        self.journal = journal
        self.store = store
        self.now = now
    }

    /// The text exposition, the store's gauges refreshed first.
    package func scrape() throws(EngineError) -> String {
        let report = try StatusReport.read(journal: journal, store: store, estimate: false)
        let unsettled: [(destination: String, kind: String, status: String, count: Int)]
        let oldest: [String: Int64]
        do {
            unsettled = try store.unsettledCountsByKind()
            oldest = try store.oldestPendingTimes()
        } catch {
            throw EngineError(.io, "reading the state store: \(error)", remedy: "see the store error", cause: error)
        }
        EngineMetrics.journalHead(report.head)
        var destinations: [(name: String, counts: [String: Int])] = [("klaviyo", report.counts)]
        if let activeCampaign = report.activeCampaign {
            destinations.append(("activecampaign", activeCampaign.counts))
            Gauge(label: "logfold_activecampaign_possibly_repeated").record(activeCampaign.possiblyRepeated)
        }
        for (name, counts) in destinations {
            for status in ["pending", "delivered", "dead"] {
                Gauge(label: "logfold_outbox_rows", dimensions: [("destination", name), ("status", status)])
                    .record(counts[status] ?? 0)
            }
            let age = oldest[name].map { max(0, now() - $0) } ?? 0
            Gauge(label: "logfold_outbox_oldest_pending_seconds", dimensions: [("destination", name)]).record(age)
        }
        // Every kind of each destination, zero included, so a series does not vanish when it empties.
        let kinds: [(String, [String])] = [
            ("klaviyo", ["event", "profile", "suppress", "unsuppress", "list_add", "list_remove"]),
            ("activecampaign", ["contact", "list_status", "tag", "event", "order", "order_correction"]),
        ]
        for (destination, names) in kinds where destinations.contains(where: { $0.name == destination }) {
            for kind in names {
                for status in ["pending", "dead"] {
                    let count =
                        unsettled.first { $0.destination == destination && $0.kind == kind && $0.status == status }?
                        .count ?? 0
                    Gauge(
                        label: "logfold_outbox_unsettled_rows",
                        dimensions: [("destination", destination), ("kind", kind), ("status", status)]
                    ).record(count)
                }
            }
        }
        return registry.emitToString()
    }

    /// The status page's figures: entries and deliveries per minute over the last hour, each
    /// destination's delivery rate over the last 5 minutes, the latest dead letters and the sender's last
    /// error, every error text redacted (``LogRedaction``).
    package func activity() throws(EngineError) -> String {
        let (firstMinute, counts) = ActivityRecorder.shared.lastHour()
        let letters: [(destination: String, ordinal: UInt64, kind: String, customerID: String, error: String)]
        let lastError: String?
        do {
            letters = try store.latestDeadLetters(limit: 10)
            lastError = try store.senderState()["last_error"]?.value
        } catch {
            throw EngineError(.io, "reading the state store: \(error)", remedy: "see the store error", cause: error)
        }
        var o = JSONObjectBuilder()
        o.add("first_minute", JSONValue.number(String(firstMinute * 60)))
        var rates = JSONObjectBuilder()
        for series in ActivityRecorder.Series.allCases {
            let values = counts[series] ?? []
            o.add(series.rawValue, JSONValue.array(values.map { .number(String($0)) }))
            if series != .entries {
                rates.add(series.rawValue, JSONValue.number(String(values.suffix(5).reduce(0, +) / 5)))
            }
        }
        o.add("rates", rates.object)
        o.add(
            "dead_letters",
            JSONValue.array(
                letters.map { letter in
                    var d = JSONObjectBuilder()
                    d.add("destination", letter.destination)
                    d.add("ordinal", JSONValue.number(String(letter.ordinal)))
                    d.add("kind", letter.kind)
                    d.add("customer_id", letter.customerID)
                    d.add("error", LogRedaction.redact(String(letter.error.prefix(300))))
                    return d.object
                }))
        o.add("last_error", lastError.map { LogRedaction.redact(String($0.prefix(300))) })
        return o.object.rendered
    }

    /// What `logfold status --json` prints, with ActiveCampaign's drain estimate.
    package func status(estimate: Bool = true) throws(EngineError) -> String {
        try StatusReport.read(journal: journal, store: store, estimate: estimate).json.rendered
    }
}
