/// One thing logfold must tell Klaviyo, produced by the fold from one journal entry.
///
/// Every message has a deterministic dedupe ``key`` (the outbox's unique index) and an ``ordinal``
/// (its place in the send order), so replaying the same journal yields the same rows, and a
/// re-projected batch inserts nothing twice.
package struct OutboundMessage: Sendable, Hashable {
    /// What kind of call the message becomes.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case event
        case profile
        case suppress
        case unsuppress
        case listAdd = "list_add"
        case listRemove = "list_remove"
    }

    package var kind: Kind
    /// The platform customer id: the profile's `external_id`.
    package var customerID: String
    /// The metric name, for events.
    package var metric: String?
    /// Klaviyo's `unique_id`, for events.
    package var uniqueID: String?
    /// When it happened (the entry's `at`, or the order's creation time for a backfilled placement).
    package var time: Timestamp
    /// The event's monetary value.
    package var value: Money?
    /// ISO 4217 code of ``value``.
    package var currency: String?
    /// The Klaviyo list name, for list messages.
    package var list: String?
    /// The profile as known when the entry was folded: its identifiers, names, phone and location for a
    /// profile upsert; only ``ProfileIdentity/identifiers`` for the other kinds, whose calls find the
    /// profile by them and send nothing else of it.
    package var identity: ProfileIdentity
    /// Event properties, or profile properties for a profile upsert; an ordered JSON object, kept in the
    /// outbox body's form.
    ///
    /// In a profile upsert a `null` member is a property to remove from the profile.
    package var properties: MessageProperties
    /// In a profile upsert: the names and phone to clear (the platform cleared them).
    package var clearedIdentity: IdentityFields = []
    /// The journal seq of the entry that produced it.
    package var sourceSeq: UInt64
    /// Its position among the messages of that entry.
    package var index: UInt16

    /// Creates a message.
    package init(
        kind: Kind, customerID: String, metric: String? = nil, uniqueID: String? = nil, time: Timestamp,
        value: Money? = nil, currency: String? = nil, list: String? = nil, identity: ProfileIdentity,
        properties: MessageProperties = .empty, sourceSeq: UInt64, index: UInt16 = 0
    ) {
        self.kind = kind
        self.customerID = customerID
        self.metric = metric
        self.uniqueID = uniqueID
        self.time = time
        self.value = value
        self.currency = currency
        self.list = list
        self.identity = identity
        self.properties = properties
        self.sourceSeq = sourceSeq
        self.index = index
    }

    /// The send order: by journal seq, then by position within the entry.
    package var ordinal: UInt64 { sourceSeq << 16 | UInt64(index) }

    /// The ``ordinal`` of the message `message` points at, read from its two fields in place: read through
    /// a pointer or an array from another module, the property copied the whole message first.
    package static func ordinal(at message: UnsafePointer<OutboundMessage>) -> UInt64 {
        message.pointee.sourceSeq << 16 | UInt64(message.pointee.index)
    }

    /// The dedupe key, unique per message in the outbox.
    ///
    /// Events are keyed like Klaviyo deduplicates them, by metric, `unique_id` and profile, so an event
    /// derived twice (a replay, a re-sent entry) is one row. Profile, suppression and list messages are
    /// keyed by the entry that caused them.
    package var key: String {
        DedupeKeyWriter.string(capacity: keyCapacity) { writeKey(&$0) }
    }

    /// The most UTF-8 bytes ``key`` can take: every piece escaped at worst, plus the kind, a seq and the
    /// separators (at most 35 bytes).
    package var keyCapacity: Int {
        DedupeKeyWriter.fixedCapacity + DedupeKeyWriter.escapedCapacity(customerID)
            + DedupeKeyWriter.escapedCapacity(metric ?? "") + DedupeKeyWriter.escapedCapacity(uniqueID ?? "")
            + DedupeKeyWriter.escapedCapacity(list ?? "")
    }

    /// Writes ``key``'s UTF-8 into `buffer` (at least ``keyCapacity`` bytes) and returns its length: the
    /// store binds it from there, with no string made (a string per row cost its allocation, a UTF-8
    /// check and its release).
    package func writeKey(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        DedupeKeyWriter.write(into: buffer) { writeKey(&$0) }
    }

    private func writeKey(_ key: inout DedupeKeyWriter) {
        let metric = metric ?? ""
        let uniqueID = uniqueID ?? ""
        let list = list ?? ""
        switch kind {
        case .event:
            key.append("event/")
            key.appendEscaped(metric)
            key.append("/")
            key.appendEscaped(uniqueID)
            key.append("/")
            key.appendEscaped(customerID)
        case .listAdd, .listRemove:
            key.append(kind.rawValue)
            key.append("/")
            key.appendEscaped(list)
            key.append("/")
            key.appendEscaped(customerID)
            key.append("/")
            key.append(sourceSeq)
        case .profile, .suppress, .unsuppress:
            key.append(kind.rawValue)
            key.append("/")
            key.appendEscaped(customerID)
            key.append("/")
            key.append(sourceSeq)
        }
    }
}

/// Members of a profile's identity that a profile upsert can clear.
package struct IdentityFields: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    /// Creates a set from its bits.
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package static let firstName = IdentityFields(rawValue: 1 << 0)
    package static let lastName = IdentityFields(rawValue: 1 << 1)
    package static let phone = IdentityFields(rawValue: 1 << 2)
}

/// The identifiers and names Klaviyo's profile is found and labelled by.
package struct ProfileIdentity: Sendable, Hashable {
    /// The platform customer id (`external_id`).
    package var externalID: String
    package var email: String?
    package var firstName: String?
    package var lastName: String?
    package var phone: String?
    package var location: PostalAddress?

    /// Creates an identity.
    package init(
        externalID: String, email: String? = nil, firstName: String? = nil, lastName: String? = nil,
        phone: String? = nil, location: PostalAddress? = nil
    ) {
        self.externalID = externalID
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.location = location
    }

    /// What Klaviyo finds the profile by (external id and email), without names, phone or location.
    package var identifiers: ProfileIdentity { ProfileIdentity(externalID: externalID, email: email) }
}
