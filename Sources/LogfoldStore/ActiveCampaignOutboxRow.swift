package import LogfoldDomain

/// One message for ActiveCampaign as the fold produced it (`activecampaign_outbox`).
///
/// Inserted only, kept once by its ordinal (`ON CONFLICT(ordinal) DO NOTHING`: its key carries the seq, so
/// only a message folded again repeats it); the sender writes the delivery columns.
package struct ActiveCampaignOutboxRow: Sendable, Hashable {
    /// What the row asks of ActiveCampaign, stored as its code.
    package enum Kind: Int64, Sendable, Hashable, CaseIterable {
        case contact = 1
        case listStatus = 2
        case tag = 3
        case event = 4
        case order = 5
        case orderCorrection = 6

        /// The name the outbox shows (`contact`, `list_status`, …).
        package var name: String {
            switch self {
            case .contact: "contact"
            case .listStatus: "list_status"
            case .tag: "tag"
            case .event: "event"
            case .order: "order"
            case .orderCorrection: "order_correction"
            }
        }

        /// The kind of message `payload` makes (``ActiveCampaignMessage/kind`` names it).
        package init(of payload: ActiveCampaignMessage.Payload) {
            self =
                switch payload {
                case .contact: .contact
                case .listStatus: .listStatus
                case .tag: .tag
                case .event: .event
                case .order(let order): order.correction ? .orderCorrection : .order
                }
        }

        /// The kind named `name`.
        package init?(name: String) {
            guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = kind
        }
    }

    /// Where delivery stands, stored as its code.
    package enum Status: Int64, Sendable, Hashable, CaseIterable {
        case pending = 0
        case delivered = 1
        case dead = 2

        /// `pending`, `delivered` or `dead`.
        package var name: String {
            switch self {
            case .pending: "pending"
            case .delivered: "delivered"
            case .dead: "dead"
            }
        }
    }

    /// The dedupe key, namespaced `activecampaign/…`.
    package var key: String
    /// ActiveCampaign's send order: `source_seq << 16 | index`.
    package var ordinal: UInt64
    package var kind: Kind
    package var customerID: String
    /// The entry's time, in unix seconds.
    package var time: Int64
    package var sourceSeq: UInt64
    /// The message's JSON without the members the columns hold (``ActiveCampaignMessage/renderedBody()``).
    ///
    /// A row stored by an earlier build may hold the whole message; ``json`` is the whole message either way.
    package var body: [UInt8]

    /// Creates a row.
    package init(
        key: String, ordinal: UInt64, kind: Kind, customerID: String, time: Int64, sourceSeq: UInt64, body: [UInt8]
    ) {
        self.key = key
        self.ordinal = ordinal
        self.kind = kind
        self.customerID = customerID
        self.time = time
        self.sourceSeq = sourceSeq
        self.body = body
    }

    /// The row of a folded message: its key, and its body (``ActiveCampaignMessage/renderedBody()``).
    package init(_ message: ActiveCampaignMessage) {
        self.init(
            key: message.key, ordinal: message.ordinal, kind: Kind(of: message.payload),
            customerID: message.customerID, time: message.time.unixSeconds, sourceSeq: message.sourceSeq,
            body: message.renderedBody())
    }

    /// The whole message's JSON, as ``ActiveCampaignMessage/json`` renders it: the body with the columns'
    /// members put back.
    package var json: [UInt8] {
        ActiveCampaignMessage.renderedJSON(
            body: body, key: key, kind: kind.name, time: Timestamp(unixSeconds: time), customerID: customerID,
            sourceSeq: sourceSeq)
    }
}

/// A stored ActiveCampaign row with its delivery columns.
package struct ActiveCampaignOutboxRowWithStatus: Sendable, Hashable {
    package var row: ActiveCampaignOutboxRow
    package var status: ActiveCampaignOutboxRow.Status
    package var attempts: Int
    package var lastError: String?
}

/// A destination beside Klaviyo and where its catch-up stands (`destinations`).
package struct DestinationRow: Sendable, Hashable {
    /// Its state: folding the history (`catching_up`), folded with the others (`enabled`), or stopped
    /// with its rows kept (`removed`).
    package enum State: String, Sendable, Hashable {
        case catchingUp = "catching_up"
        case enabled
        case removed
    }

    package var name: String
    package var state: State
    package var addedAt: Int64
    package var updatedAt: Int64

    /// Creates a row.
    package init(name: String, state: State, addedAt: Int64, updatedAt: Int64) {
        self.name = name
        self.state = state
        self.addedAt = addedAt
        self.updatedAt = updatedAt
    }
}
