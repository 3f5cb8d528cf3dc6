package import LogfoldDomain

/// One message for Klaviyo as projection produced it: identity, routing columns and a compact body.
///
/// Rows are only ever inserted (`ON CONFLICT(key) DO NOTHING`), so a message produced twice, by a replay
/// or a repeated entry, is kept once. The sender later writes the delivery columns, which
/// ``OutboxRowWithStatus`` carries.
package struct OutboxRow: Sendable, Hashable {
    /// The dedupe key, unique in the outbox (`key`).
    package var key: String
    /// The deterministic position the sender drains in: `source_seq << 16 | index within the entry`
    /// (`ordinal`, the table's integer primary key).
    package var ordinal: UInt64
    /// `event`, `profile`, `suppress`, `unsuppress`, `list_add` or `list_remove` (`kind`).
    package var kind: String
    /// The platform customer the message is about (`customer_id`).
    package var customerID: String
    /// The Klaviyo metric name, for events (`metric`).
    package var metric: String?
    /// Klaviyo's `unique_id`, for events (`unique_id`).
    package var uniqueID: String?
    /// When it happened, in unix seconds: the entry's `at` (`time`).
    package var time: Int64
    /// The event's value as exact decimal text, for example `47.95` (`value`).
    package var value: String?
    /// The list name, for list messages (`list`).
    package var list: String?
    /// The journal seq of the entry that produced it (`source_seq`).
    package var sourceSeq: UInt64
    /// The domain-encoded message: properties and profile identifiers (`body`).
    package var body: [UInt8]

    /// Creates a row.
    package init(
        key: String,
        ordinal: UInt64,
        kind: String,
        customerID: String,
        metric: String? = nil,
        uniqueID: String? = nil,
        time: Int64,
        value: String? = nil,
        list: String? = nil,
        sourceSeq: UInt64,
        body: [UInt8]
    ) {
        self.key = key
        self.ordinal = ordinal
        self.kind = kind
        self.customerID = customerID
        self.metric = metric
        self.uniqueID = uniqueID
        self.time = time
        self.value = value
        self.list = list
        self.sourceSeq = sourceSeq
        self.body = body
    }

    /// The row of a folded message: its key, columns, and body (``ProjectionCodec/body(of:)``).
    package init(_ m: OutboundMessage) {
        self.init(
            key: m.key, ordinal: m.ordinal, kind: m.kind.rawValue, customerID: m.customerID, metric: m.metric,
            uniqueID: m.uniqueID, time: m.time.unixSeconds, value: m.value?.description, list: m.list,
            sourceSeq: m.sourceSeq, body: ProjectionCodec.body(of: m))
    }
}
