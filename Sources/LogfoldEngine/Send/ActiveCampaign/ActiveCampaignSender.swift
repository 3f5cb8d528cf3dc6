import Foundation
package import LogfoldActiveCampaign
import LogfoldCrashPoints
import LogfoldDomain
package import LogfoldStore
package import Logging

/// How an ActiveCampaign send run behaves (the same for every clock it runs on).
package struct ActiveCampaignSendOptions: Sendable {
    /// Exit when nothing is pending instead of waiting for more.
    package var once = true
    /// A history send: every order with `source` 0 (no automations).
    package var history = false
    /// Leave tracked events out (`--history-events skip`): they are marked delivered as `skipped`.
    package var skipEvents = false
    /// Attempts at a transient failure before the run stops with the row pending.
    package var maxAttempts = 14
    /// Orders paid longer ago than this go with `source` 0.
    package var liveWindowSeconds: Int64 = 48 * 3_600
    /// The Deep Data connection: the store as ActiveCampaign's e-commerce views show it.
    package var storeName = "logfold"
    package var storeURL = "https://example.com"
    /// Rung when new rows are in the outbox (by the daemon's projector): an idle sender looks at once.
    package var newRows: AsyncDoorbell?
    /// Asked between rows and while idle (the daemon's stop): the row being sent is finished first.
    package var shouldStop: @Sendable () -> Bool = { false }

    /// The defaults.
    package init() {}
}

/// Drains ActiveCampaign's outbox (docs/activecampaign-mapping.md, activecampaign-api.md).
///
/// Rows go out in their send order, one call at a time within the account's 5 requests a second (the
/// pacer), in two lanes: rows of entries from the last 48 hours (folded from the first such row on)
/// are live and go first; older rows are history and go one call at a time between them, so a live row
/// waits behind at most one history call. New contacts of a history send go by bulk import. Each answer is
/// settled in its own transaction. Contacts, field values, list statuses and tag
/// removals are idempotent; an order whose create was in flight at a crash is looked up by its external
/// id before it is created again; a tracked event has no dedupe key, so one in flight at a crash is sent
/// again and counted "possibly repeated" (one call in flight at a time: at most one per crash).
package final class ActiveCampaignSender<C: Clock> where C.Duration == Duration {
    /// How a run behaves.
    package typealias Options = ActiveCampaignSendOptions

    /// What a run did.
    package struct Report: Sendable, CustomStringConvertible {
        package var requests = 0
        package var delivered = 0
        package var dead = 0
        package var retries = 0
        package var throttled = 0
        package var possiblyRepeated = 0
        /// Contact syncs, list statuses and tags a later one of the same customer made unnecessary.
        package var superseded = 0
        /// Contacts sent by bulk import.
        package var bulkImported = 0

        /// One line: `activecampaign: delivered N, dead N, …`.
        package var description: String {
            "activecampaign: delivered \(delivered), superseded \(superseded), bulk imported \(bulkImported), "
                + "dead \(dead), requests \(requests), "
                + "retries \(retries), throttled \(throttled), possibly repeated \(possiblyRepeated)"
        }
    }

    let store: StateStore
    let client: ActiveCampaignClient<C>
    let options: Options
    let logger: Logger
    let now: @Sendable () -> Int64
    /// The clock of backoffs and polls (the pacer's own keeps the account's pace).
    let clock: C
    var report = Report()
    /// Orders whose create was in flight when a previous run stopped: looked up before creating.
    var uncertainOrders = Set<UInt64>()

    /// A sender over `store` through `client`; `now` gives Unix seconds (injected, for the 48-hour rule)
    /// and `clock` times backoffs.
    package init(
        store: StateStore, client: ActiveCampaignClient<C>, options: Options = Options(), logger: Logger,
        now: @escaping @Sendable () -> Int64, clock: C
    ) {
        self.clock = clock
        self.store = store
        self.client = client
        self.options = options
        self.logger = logger
        self.now = now
    }

    /// Sends every pending row (and, without `once`, waits for more); throws when ActiveCampaign refuses
    /// the token or retries run out, with the rows still pending.
    package func run() async throws -> Report {
        for flight in try store.takeActiveCampaignFlights(at: now()) {
            if flight.kind == .event { report.possiblyRepeated += 1 }
            if flight.kind == .order { uncertainOrders.insert(flight.ordinal) }
        }
        try await ensureSetup()
        var lanes = Lanes(liveFrom: try store.activeCampaignLiveBoundary(since: now() - options.liveWindowSeconds))
        while true {
            try Task.checkCancellation()
            if options.shouldStop() { return report }
            let seen = options.newRows?.generation ?? 0
            if try await sendLive(&lanes) { continue }
            if try await sendHistory(&lanes) { continue }
            // Nothing past either cursor: rows retried from dead letters may sit behind them.
            if lanes.rewind() { continue }
            if options.once || options.shouldStop() { return report }
            // Without --once: until the projector rings (in the daemon), or a second.
            if let newRows = options.newRows {
                await newRows.wait(since: seen, upTo: .seconds(1))
            } else {
                try await clock.sleep(for: .seconds(1))
            }
        }
    }

    /// Sends `call` until ActiveCampaign answers other than transiently.
    func call(_ call: ActiveCampaignCall) async throws -> (ActiveCampaignAnswer, ActiveCampaignResponse) {
        var attempt = 0
        while true {
            attempt += 1
            CrashPoint.sendRequestBefore.reach()
            let response = try await client.send(call)
            report.requests += 1
            EngineMetrics.request(
                destination: Projector.activeCampaignName, endpoint: call.endpoint, status: response.status ?? 0)
            let answer = ActiveCampaignAnswer.classify(
                call, status: response.status, retryAfter: response.retryAfter, body: response.body)
            switch answer {
            case .retry(let after, let reason):
                report.retries += 1
                if response.status == 429 { report.throttled += 1 }
                EngineMetrics.retried(destination: Projector.activeCampaignName, throttled: response.status == 429)
                guard attempt < options.maxAttempts else {
                    throw EngineError(
                        .network, "ActiveCampaign kept failing (\(reason)); the rows stay pending",
                        remedy:
                            "check ActiveCampaign's status, then run `logfold send --destination activecampaign` again")
                }
                logger.info(
                    "activecampaign call failed, retrying",
                    metadata: ["activecampaign.error": "\(LogRedaction.redact(String(reason.prefix(200))))"])
                // A 429 is waited out by the pacer (it holds every call); other failures back off here.
                if after == nil {
                    let ceiling = min(64.0, 0.5 * Double(1 << min(attempt - 1, 20)))
                    try await clock.sleep(
                        for: .milliseconds(Int64(ceiling * 500 + Double.random(in: 0..<1) * ceiling * 500)))
                }
            case .stop(let reason):
                throw EngineError(
                    .configuration, reason, remedy: "fix it, then run `logfold send --destination activecampaign` again"
                )
            default:
                return (answer, response)
            }
        }
    }

    /// The `id` of the object under `wrapper` in `body`.
    static func id(_ body: [UInt8], _ wrapper: String) -> String? {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        let inner = object?[wrapper] as? [String: Any]
        if let id = inner?["id"] as? String { return id }
        return (inner?["id"] as? NSNumber)?.stringValue
    }

    /// The objects of a list answer (`{"tags":[…]}`).
    static func objects(_ body: [UInt8], _ plural: String) -> [[String: Any]] {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        return object?[plural] as? [[String: Any]] ?? []
    }

    static func text(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        return (value as? NSNumber)?.stringValue
    }
}

/// The sender's fixed sizes (a generic type cannot hold static stored properties).
package enum ActiveCampaignSenderLimits {
    /// Contacts per bulk import, ActiveCampaign's maximum.
    package static let bulkImportSize = 250
    /// Fewer new contacts than this go by `contact/sync` (activecampaign-api.md: "for fewer than 10").
    package static let bulkImportMinimum = 10
}

/// The four custom fields of seed 002, by personalisation tag: title and type.
enum ActiveCampaignFields {
    static let all: [(tag: String, title: String, type: String)] = [
        ("STATUS", "Status", "text"), ("NEXT_DELIVERY", "Next Delivery", "date"),
        ("CANCEL_DATE", "Cancel Date", "date"), ("BOX_TYPE", "Box Type", "text"),
    ]
}
