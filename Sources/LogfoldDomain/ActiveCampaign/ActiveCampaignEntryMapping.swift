/// The ActiveCampaign messages of one folded entry (docs/activecampaign-mapping.md).
///
/// Contact, list status, tag, events, order, in that order. Pure: the customer's ``ActiveCampaignSent``
/// is the only state it reads and moves.
struct ActiveCampaignEntryMapping {
    let mapping: ActiveCampaignMapping
    /// What it reads of the entry, not the entry: a copy of the whole entry retained and released each of
    /// its strings, a fiftieth of a replay's fold.
    let entry: EntryFacts
    let seq: UInt64
    let week: Int32

    /// The parts of a ``LogEntry`` the mapping reads.
    struct EntryFacts {
        let id: UInt64
        let at: Timestamp
        let type: String
        let data: JSONValue?

        init(_ entry: borrowing LogEntry) {
            id = entry.id
            at = entry.at
            type = entry.type
            data = entry.data
        }
    }

    /// The messages for `customer` after the fold of the entry.
    ///
    /// `order` is the entry's order after it, `reached` the milestones it reached with this entry.
    /// `changedState` tells whether what ActiveCampaign was told moved (events and orders change no
    /// customer state).
    func messages(
        customer: inout CustomerState, order: OrderState?, reached: [OrderState.Milestone]
    ) -> (messages: [ActiveCampaignMessage], changedState: Bool) {
        // The email the customer holds: ActiveCampaign merges contacts by email.
        guard let email = customer.sentEmail else { return ([], false) }
        var payloads = Self.stateChanges(of: &customer, email: email, week: week)
        let changedState = !payloads.isEmpty
        if let name = mapping.eventNames[entry.type] {
            payloads.append(
                .event(email: email, name: ActiveCampaignEventName.shortened(name), data: eventData(entry.data)))
        }
        if let order, let snapshot = order.snapshot {
            for milestone in reached {
                if let name = ActiveCampaignMapping.milestoneEventNames[milestone] {
                    payloads.append(.event(email: email, name: name, data: orderEventData(snapshot)))
                }
                guard let deepData = deepDataOrder(milestone, order: order, snapshot: snapshot, email: email) else {
                    continue
                }
                // A refund and a chargeback reached by one entry make one correction (one message per entry
                // and order): the one that leaves the least of the total.
                if deepData.correction, let earlier = payloads.lastIndex(where: Self.isCorrection) {
                    if case .order(let kept) = payloads[earlier], deepData.total <= kept.total {
                        payloads[earlier] = .order(deepData)
                    }
                } else {
                    payloads.append(.order(deepData))
                }
            }
        }
        let messages = payloads.enumerated().map { index, payload in
            ActiveCampaignMessage(
                customerID: customer.id, time: entry.at, sourceSeq: seq, index: UInt16(truncatingIfNeeded: index),
                payload: payload)
        }
        return (messages, changedState)
    }

    /// Contact, list status and tag, each when it differs from what ActiveCampaign was last told.
    ///
    /// Also the week change's update (``Projection``'s sweep), which has no entry of the customer's own.
    static func stateChanges(
        of customer: inout CustomerState, email: String, week: Int32
    ) -> [ActiveCampaignMessage.Payload] {
        // Moved out and back, not copied: a copy retained and released every field of the contact, for
        // each entry of each customer. The state changes exactly when a payload is made.
        let known = customer.activeCampaign != nil
        var sent = customer.activeCampaign.take() ?? ActiveCampaignSent()
        // Another email is another contact in ActiveCampaign: it starts from nothing.
        if let lastEmail = sent.contact?.email, lastEmail != email { sent = ActiveCampaignSent() }
        var payloads: [ActiveCampaignMessage.Payload] = []
        let contact = ActiveCampaignContact(customer, email: email)
        if sent.contact?.isSame(as: contact) != true {
            payloads.append(.contact(contact))
            sent.contact = contact
        }
        let subscribed = customer.subscribed != false
        if sent.subscribed != subscribed {
            payloads.append(.listStatus(email: email, subscribed: subscribed))
            sent.subscribed = subscribed
        }
        let tag = customer.weekTag(week: week)
        if sent.tag != tag {
            payloads.append(.tag(email: email, add: tag, remove: sent.tag))
            sent.tag = tag
        }
        customer.activeCampaign = known || !payloads.isEmpty ? sent : nil
        return payloads
    }

    private static func isCorrection(_ payload: ActiveCampaignMessage.Payload) -> Bool {
        if case .order(let order) = payload { return order.correction }
        return false
    }

    /// `eventdata`: the entry's time as the platform wrote it, its log id, then its `data` members.
    private func eventData(_ data: JSONValue?) -> ActiveCampaignEventData {
        var members: [JSONValue.Member] = []
        if case .object(let extra)? = data { members = extra }
        return ActiveCampaignEventData(time: entry.at, logID: entry.id, content: .entryData(members))
    }

    private func orderEventData(_ snapshot: OrderSnapshot) -> ActiveCampaignEventData {
        ActiveCampaignEventData(
            time: entry.at, logID: entry.id,
            content: .order(
                id: snapshot.id, total: snapshot.total,
                currency: snapshot.total == nil ? nil : (snapshot.currency ?? "USD")))
    }

    /// The order when it is paid; its correction when a paid order is refunded or charged back.
    private func deepDataOrder(
        _ milestone: OrderState.Milestone, order: OrderState, snapshot: OrderSnapshot, email: String
    ) -> ActiveCampaignOrder? {
        guard let total = snapshot.total else { return nil }
        // Decided before the order is built: most milestones send none, and building its products (each
        // line's unique id among them) for every milestone was a fiftieth of folding an entry.
        let correction: Bool
        switch milestone {
        case .fulfilled:
            correction = false
        case .refunded, .chargeback:
            // Only an order ActiveCampaign has (it was paid) can be corrected.
            guard order.has(.fulfilled) else { return nil }
            correction = true
        default:
            return nil
        }
        var deepData = ActiveCampaignOrder(
            orderID: order.id, email: email, currency: snapshot.currency ?? "USD", total: total,
            createdAt: snapshot.createdAt ?? entry.at, updatedAt: entry.at,
            products: Self.products(orderID: order.id, items: snapshot.items), correction: correction)
        if correction {
            deepData.total = Self.remaining(total, refunded: milestone == .refunded ? entry.data?["amount"] : nil)
        }
        return deepData
    }

    /// What stays of `total` after a refund of `refunded` (the whole of it when the amount is absent,
    /// unreadable or larger).
    static func remaining(_ total: Money, refunded: JSONValue?) -> Money {
        let zero = Money(cents: 0)
        guard case .number(let text)? = refunded, let amount = Money(decimalLiteral: text), amount > zero,
            amount < total
        else {
            return zero
        }
        return total.subtracting(amount) ?? zero
    }

    static func products(orderID: String, items: [LineItem]) -> [ActiveCampaignProduct] {
        let ids = OrderState.productUniqueIDs(orderID: orderID, items: items)
        return zip(items, ids).map { item, id in
            ActiveCampaignProduct(
                externalID: id, name: item.name ?? item.sku ?? item.productID ?? "Item", price: item.price,
                quantity: item.quantity ?? 1, category: item.kind?.rawValue, sku: item.sku, url: item.url,
                imageURL: item.imageURL)
        }
    }
}
