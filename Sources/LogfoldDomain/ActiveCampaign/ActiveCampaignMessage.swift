/// One thing logfold must tell ActiveCampaign, produced by the fold from one journal entry
/// (docs/activecampaign-mapping.md).
///
/// Like Klaviyo's ``OutboundMessage`` it has a dedupe ``key`` and an ``ordinal`` (its place in
/// ActiveCampaign's own send order: each destination is its own outbox stream).
package struct ActiveCampaignMessage: Sendable, Hashable {
    /// What the message asks of ActiveCampaign: one payload per kind.
    package enum Payload: Sendable, Hashable {
        /// `contact/sync` with the customer's current values.
        case contact(ActiveCampaignContact)
        /// The "All Customers" list status: subscribed (1) or unsubscribed (2).
        case listStatus(email: String, subscribed: Bool)
        /// The week's order tag: add `add`, then remove `remove` (the tag sent before, if any).
        case tag(email: String, add: String, remove: String?)
        /// A tracked event; `data` becomes `eventdata` (ActiveCampaign stamps the receive time).
        case event(email: String, name: String, data: ActiveCampaignEventData)
        /// A Deep Data order: created when paid, replaced whole when corrected.
        case order(ActiveCampaignOrder)
    }

    /// The platform customer id.
    package var customerID: String
    /// When it happened: the entry's `at`.
    package var time: Timestamp
    /// The journal seq of the entry that produced it.
    package var sourceSeq: UInt64
    /// Its place among the entry's ActiveCampaign messages.
    package var index: UInt16
    /// What to send.
    package var payload: Payload

    /// Creates a message.
    package init(customerID: String, time: Timestamp, sourceSeq: UInt64, index: UInt16 = 0, payload: Payload) {
        self.customerID = customerID
        self.time = time
        self.sourceSeq = sourceSeq
        self.index = index
        self.payload = payload
    }

    /// The send order: the journal seq, then the place in the entry.
    package var ordinal: UInt64 { sourceSeq << 16 | UInt64(index) }

    /// The kind, as the outbox names it.
    package var kind: String {
        switch payload {
        case .contact: "contact"
        case .listStatus: "list_status"
        case .tag: "tag"
        case .event: "event"
        case .order(let order): order.correction ? "order_correction" : "order"
        }
    }

    /// The outbox's dedupe key, namespaced by destination: the same entry folded twice makes the same key.
    package var key: String {
        DedupeKeyWriter.string(capacity: keyCapacity) { writeKey(&$0) }
    }

    /// The most UTF-8 bytes ``key`` can take: its fixed pieces, a seq and the separators (at most 64
    /// bytes), and the customer id or order id and event name it names.
    package var keyCapacity: Int {
        switch payload {
        case .contact, .listStatus, .tag: DedupeKeyWriter.fixedCapacity + customerID.utf8.count
        case .event(_, let name, _): DedupeKeyWriter.fixedCapacity + customerID.utf8.count + name.utf8.count
        case .order(let order): DedupeKeyWriter.fixedCapacity + order.orderID.utf8.count
        }
    }

    /// Writes ``key``'s UTF-8 into `buffer` (at least ``keyCapacity`` bytes) and returns its length: the
    /// store binds it from there, with no string made.
    package func writeKey(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        DedupeKeyWriter.write(into: buffer) { writeKey(&$0) }
    }

    // Written into the string's storage or the store's bindings (``DedupeKeyWriter``): a key is made for
    // every message.
    private func writeKey(_ key: inout DedupeKeyWriter) {
        switch payload {
        case .contact, .listStatus, .tag:
            key.append("activecampaign/")
            key.append(kind)  // at most 16 bytes
            key.append("/")
            key.append(customerID)
            key.append("/")
            key.append(sourceSeq)
        case .event(_, let name, _):
            key.append("activecampaign/event/")
            key.append(customerID)
            key.append("/")
            key.append(sourceSeq)
            key.append("/")
            key.append(name)
        case .order(let order):
            key.append(order.correction ? "activecampaign/order_correction/" : "activecampaign/order/")
            key.append(order.orderID)
            key.append("/")
            key.append(sourceSeq)
        }
    }
}

/// A contact as ActiveCampaign gets it: every synced value, current; an empty string is a cleared value.
package struct ActiveCampaignContact: Sendable, Hashable {
    package var email: String
    package var firstName: String
    package var lastName: String
    package var phone: String
    /// The custom fields, by their seed 002 names.
    package var status: String
    package var nextDelivery: String
    package var cancelDate: String
    package var boxType: String

    /// The contact for `customer` under `email`.
    ///
    /// Inlined so that the fold, which holds the customer `inout`, reads its fields in place: a call
    /// copied the whole customer state to pass it.
    @inline(__always)
    package init(_ customer: CustomerState, email: String) {
        self.email = email
        firstName = customer.identity.firstName ?? ""
        lastName = customer.identity.lastName ?? ""
        phone = customer.shared.contains(.phone) ? "" : (customer.identity.phone ?? "")
        status = customer.status?.rawValue ?? ""
        nextDelivery = customer.nextDelivery.map(Self.day) ?? ""
        cancelDate = customer.cancelDate.map(Self.day) ?? ""
        boxType = customer.box ?? ""
    }

    /// `==`, called through optional chaining on the contact last sent (`sent.contact?.isSame(as:)`), which
    /// compares in place: comparing the optional itself copied the contact out first.
    func isSame(as other: Self) -> Bool { self == other }

    /// The calendar day of a date or date-time as the platform wrote it (ActiveCampaign date fields take
    /// `YYYY-MM-DD`).
    ///
    /// Every entry's contact is built to compare with the one sent, so this runs twice per entry: taking ten
    /// characters (grapheme clusters) of each date was a twelfth of mapping an entry for ActiveCampaign.
    /// Ten bytes or fewer are ten characters or fewer, so the text is its own prefix. Past them, the first
    /// ten characters are a date exactly when the first ten bytes are and the eleventh byte does not extend
    /// the tenth character: a date is ASCII, and no ASCII byte extends a digit.
    static func day(_ text: String) -> String {
        guard text.utf8.count > 10 else { return text }
        var text = text
        let head: (date: Bool, decided: Bool) = text.withUTF8 { bytes in
            (RFC3339.isCalendarDate(bytes: UnsafeBufferPointer(rebasing: bytes[..<10])), bytes[10] < 0x80)
        }
        guard head.decided else {
            // A non-ASCII eleventh byte may be a combining mark on the tenth character: count characters.
            let prefix = String(text.prefix(10))
            return RFC3339.isCalendarDate(prefix) ? prefix : text
        }
        return head.date ? String(text.utf8.prefix(10)) ?? text : text
    }
}

/// A Deep Data order: the paid order whole, or its correction after a refund or chargeback.
package struct ActiveCampaignOrder: Sendable, Hashable {
    package var orderID: String
    package var email: String
    package var currency: String
    /// The order's total, less what was refunded for a correction.
    package var total: Money
    /// When the order was created (the snapshot's `created_at`, else the paying entry's time).
    package var createdAt: Timestamp
    /// The time of the entry that paid the order (its `source` follows from it: 0 past 48 hours), or
    /// of the refund or chargeback that corrected it (which keeps the source the order was created with).
    package var updatedAt: Timestamp
    /// The lines, as the snapshot has them.
    package var products: [ActiveCampaignProduct]
    /// Whether this replaces an order sent before (a refund or chargeback).
    package var correction: Bool
}

/// One product line of a Deep Data order.
package struct ActiveCampaignProduct: Sendable, Hashable {
    /// Unique within the order: the line id, or the SKU, numbered when repeated (as Klaviyo's Ordered Product).
    package var externalID: String
    package var name: String
    package var price: Money?
    package var quantity: Int64
    /// `menu`, `sub` or `addon`.
    package var category: String?
    package var sku: String?
    package var url: String?
    package var imageURL: String?
}
