package import LogfoldDomain

/// What one projector batch changed: the touched state rows, the new messages and the checkpoint move.
///
/// ``StateStore/commit(_:projector:)`` writes it in one transaction, so a crash keeps all of it or none.
package struct ProjectionBatch: Sendable, Hashable {
    /// Every customer the batch changed, each once, in its final state.
    package var customers: [CustomerRow]
    /// Every order the batch changed, each once, in its final state.
    package var orders: [OrderRow]
    /// The messages the batch produced, in ordinal order (any order is accepted).
    package var outbox: [OutboxRow]
    /// More of the batch's messages, as the fold made them: the commit writes each one's row
    /// (``OutboxRow/init(_:)``) after ``outbox``'s rows, in ordinal order.
    ///
    /// So a replay builds the rows (keys and bodies) on the thread that commits, not on the folding
    /// thread, its wall; each row is freed as soon as it is inserted, on the thread that made it.
    package var outboxMessages: [OutboundMessage] = []
    /// The checkpoint the projector read before folding: the commit fails if it moved since.
    package var fromSeq: UInt64
    /// The checkpoint after this batch: the seq of its last entry.
    package var toSeq: UInt64
    /// The projector's journal clock after this batch, committed with the checkpoint; `nil` keeps it.
    package var clock: ProjectionClock?
    /// Identifier owners the batch changed, each once, in their final state.
    package var identifierOwners: [IdentifierOwnerRow]
    /// The identity of the record at ``toSeq``, kept with the checkpoint; `nil` leaves none.
    package var lastRecord: RecordIdentity?
    /// Records of the batch that could not be decoded, set aside (``QuarantinedRecord``).
    package var quarantined: [QuarantinedRecord] = []
    /// Seqs taken out of quarantine by this batch (folded by `journal quarantine retry`).
    package var released: [UInt64] = []
    /// ActiveCampaign's messages of the batch, when that destination is folded with it.
    package var activeCampaignOutbox: [ActiveCampaignOutboxRow] = []
    /// More of ActiveCampaign's messages, as the fold made them: the commit writes each one's row
    /// (``ActiveCampaignOutboxRow/init(_:)``) after ``activeCampaignOutbox``'s.
    ///
    /// So a replay renders ActiveCampaign's JSON on the thread that commits, which has time to spare, not
    /// on the folding thread, its wall; each row is freed as soon as it is inserted, on the thread that
    /// made it.
    package var activeCampaignMessages: [ActiveCampaignMessage] = []
    /// The destinations folded with this projector (`activecampaign`).
    ///
    /// Their checkpoints and clocks move with its own. The commit refuses a batch that leaves out an
    /// enabled destination.
    package var movesWith: [String] = []
    /// Whether this batch writes the last of the customers a replay left for its end: the store's mark
    /// (``StateStore/markCustomersUnwritten(since:)``) goes in the same transaction.
    package var completesCustomers = false

    /// Creates a batch.
    package init(
        customers: [CustomerRow] = [],
        orders: [OrderRow] = [],
        outbox: [OutboxRow] = [],
        fromSeq: UInt64,
        toSeq: UInt64,
        clock: ProjectionClock? = nil,
        identifierOwners: [IdentifierOwnerRow] = [],
        lastRecord: RecordIdentity? = nil,
        quarantined: [QuarantinedRecord] = [],
        released: [UInt64] = []
    ) {
        self.customers = customers
        self.orders = orders
        self.outbox = outbox
        self.fromSeq = fromSeq
        self.toSeq = toSeq
        self.clock = clock
        self.identifierOwners = identifierOwners
        self.lastRecord = lastRecord
        self.quarantined = quarantined
        self.released = released
    }
}

/// A journal record a projector could not decode: skipped, with why, until an operator retries it.
package struct QuarantinedRecord: Sendable, Hashable {
    package var seq: UInt64
    package var platformID: UInt64
    package var reason: String

    /// Creates a record.
    package init(seq: UInt64, platformID: UInt64, reason: String) {
        self.seq = seq
        self.platformID = platformID
        self.reason = reason
    }
}

/// Which journal record a checkpoint's seq held: its platform id and the CRC-32C of its compact form.
package struct RecordIdentity: Sendable, Hashable {
    /// The entry's id (the platform's, or a tick's from 2^63).
    package var platformID: UInt64
    /// CRC-32C of the record's compact form.
    package var checksum: UInt32

    /// Creates an identity.
    package init(platformID: UInt64, checksum: UInt32) {
        self.platformID = platformID
        self.checksum = checksum
    }
}

/// Who owns an email or phone in Klaviyo, as the fold settled it (`identifier_owners`).
package struct IdentifierOwnerRow: Sendable, Hashable {
    /// `e:` and the lowercased email, or `p:` and the E.164 number.
    package var identifier: String
    /// The owner; `nil` removes the row (the owner let it go).
    package var customerID: String?

    /// Creates a row.
    package init(identifier: String, customerID: String?) {
        self.identifier = identifier
        self.customerID = customerID
    }
}

/// A projector's journal clock as the store keeps it (`journal_clocks`): the journal's latest week and
/// how far the profile updates of its last change have gone.
package struct ProjectionClock: Sendable, Hashable {
    /// The latest week of the entries folded, `nil` before the first.
    package var week: Int32?
    /// Whether the last week change still has customers to update.
    package var sweeping: Bool
    /// The last customer id the update reached.
    package var sweptThrough: String?

    /// Creates a clock row.
    package init(week: Int32?, sweeping: Bool, sweptThrough: String?) {
        self.week = week
        self.sweeping = sweeping
        self.sweptThrough = sweptThrough
    }
}
