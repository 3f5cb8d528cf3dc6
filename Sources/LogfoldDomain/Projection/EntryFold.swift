/// Folds one entry into its customer (and order) and collects the messages, in a fixed order:
/// suppress, profile upsert, list changes, events, unsuppress.
///
/// Suppression goes first so that no flow an event triggers can reach a profile that must be
/// suppressed; lifting goes last so that the events of the entry that re-subscribed are sent while
/// the profile is still suppressed and cannot fire flows by surprise.
struct EntryFold {
    let entry: LogEntry
    let seq: UInt64
    /// The journal's week (its latest), for the week's order tag.
    let week: Int32
    let mapping: EventMapping
    /// ActiveCampaign's mapping, when that destination is enabled.
    var activeCampaign: ActiveCampaignMapping?
    var customer: CustomerState
    var order: OrderState?
    /// Who owns each email and phone (``IdentifierKey`` → customer id), moved in and out by the projection.
    var owners: [String: String] = [:]
    /// The orders' Placed Order properties, moved in and out by the projection for an entry with an order.
    var orderPropertiesMemo = OrderPropertiesMemo()
    /// The owner keys this entry changed.
    private(set) var ownerChanges: [String] = []
    private(set) var messages: [OutboundMessage] = []
    /// ActiveCampaign's messages of the entry (docs/activecampaign-mapping.md).
    private(set) var activeCampaignMessages: [ActiveCampaignMessage] = []
    /// The order milestones this entry reached, in order: what the destinations' mappings read.
    private var reached: [OrderState.Milestone] = []
    private(set) var skipped = 0
    private var events: [OutboundMessage] = []
    /// Where this entry's messages start in ``messages``: a batch's earlier messages may come before them
    /// (``run(appendingTo:)``).
    private var base = 0
    private var listChanges: [OutboundMessage] = []
    /// Whether the entry changed a field the profile upsert reads (so the last one may be stale).
    private var profileInputsChanged = false
    /// Whether the entry changed the order's state.
    private var orderChanged = false

    init(entry: LogEntry, seq: UInt64, week: Int32, mapping: EventMapping, customer: CustomerState) {
        self.entry = entry
        self.seq = seq
        self.week = week
        self.mapping = mapping
        self.customer = customer
    }

    /// Folds the entry, its messages appended to `out`: the array moves in and out, so none of its messages
    /// is copied (appending an entry's messages to its batch's copied each, strings retained and released).
    mutating func run(appendingTo out: inout [OutboundMessage]) {
        swap(&events, &out)
        base = events.count
        run()
        swap(&messages, &out)
    }

    mutating func run() {
        // What the entry changed is tracked field by field instead of comparing the whole state with a
        // copy: the copy and the comparison were a tenth of a replay's fold.
        let scalarsBefore = (
            customer.subscribed, customer.startedSignup, customer.suppressed, customer.lists, customer.completedSignup
        )
        let identifiersBefore = (customer.identity.email, customer.identity.phone)
        // A known profile that had no email of its own gets it with this entry's upsert, which must come
        // before a suppression by that email: suppressing first would make a second profile for it.
        // Read through optional chaining: comparing the optional itself copied the whole profile.
        let emailArrives = customer.lastProfile?.externalID != nil && customer.lastProfile?.email == nil
        if let snapshot = entry.customer, customer.absorb(snapshot) { profileInputsChanged = true }
        settleIdentifiers(emailBefore: identifiersBefore.0, phoneBefore: identifiersBefore.1)
        if !customer.isMember(of: .allCustomers) { changeList(.allCustomers, join: true) }
        applyType()
        noteOrderWeek()

        var suppress: OutboundMessage?
        var unsuppress: OutboundMessage?
        // Klaviyo suppresses an email: without one of its own the customer has nothing to suppress yet.
        if customer.mustBeSuppressed && !customer.suppressed && customer.sentEmail != nil {
            customer.suppressed = true
            suppress = message(.suppress)
        } else if customer.suppressed && !customer.mustBeSuppressed && customer.subscribed == true {
            customer.suppressed = false
            unsuppress = message(.unsuppress)
        }
        var profile = profileUpsert()
        let upserted = profile != nil
        let scalarsAfter = (
            customer.subscribed, customer.startedSignup, customer.suppressed, customer.lists, customer.completedSignup
        )

        // The events' array becomes the messages, the few leading messages moved in before them, so
        // no event is copied.
        swap(&messages, &events)
        var position = base
        let profileFirst = emailArrives && profile?.identity.email != nil
        // Taken out of their optionals, not copied: an optional message copied through the generic
        // value witness retained each of its strings.
        if profileFirst, let first = profile.take() {
            messages.insert(first, at: position)
            position += 1
        }
        if let next = suppress.take() {
            messages.insert(next, at: position)
            position += 1
        }
        if let next = profile.take() {
            messages.insert(next, at: position)
            position += 1
        }
        if !listChanges.isEmpty { messages.insert(contentsOf: listChanges, at: position) }
        if let unsuppress { messages.append(unsuppress) }
        for i in base..<messages.count { messages[i].index = UInt16(truncatingIfNeeded: i - base) }
        if let activeCampaign {
            let mapping = ActiveCampaignEntryMapping(
                mapping: activeCampaign, entry: .init(entry), seq: seq, week: week)
            let folded = mapping.messages(customer: &customer, order: order, reached: reached)
            activeCampaignMessages = folded.messages
            // Events and orders change no customer state; what ActiveCampaign was told does.
            if folded.changedState { customer.lastSeq = seq }
        }
        if profileInputsChanged || upserted || scalarsAfter != scalarsBefore { customer.lastSeq = seq }
        if orderChanged { order?.lastSeq = seq }
    }

    // MARK: Types

    private mutating func applyType() {
        switch entry.type {
        case "started.signup":
            if !customer.startedSignup {
                customer.startedSignup = true
                profileInputsChanged = true
            }
            startedCheckout()
            changeList(.abandoned, join: true)
        case "signup.completed":
            if !customer.completedSignup {
                customer.completedSignup = true
                profileInputsChanged = true
            }
            activityEvent(properties: .object([.init("Completed Signup", .bool(true))]))
            changeList(.abandoned, join: false)
        case "cancelled":
            var properties = dataMembers
            let date = customer.cancelDate.map(KlaviyoDate.format) ?? entry.at.utcSecondsString
            properties.insert(.init("Cancellation Date", .string(date)), at: 0)
            activityEvent(properties: .object(properties))
        case "email.unsubscribed":
            customer.subscribed = false
            activityEvent()
        case "email.subscribed":
            customer.subscribed = true
            activityEvent()
        case "failed.payment":
            activityEvent(value: entry.order?.total, currency: entry.order?.currency)
            changeList(.declined, join: true)
        default:
            if let milestone = OrderState.Milestone(entryType: entry.type) {
                orderEvent(milestone)
            } else {
                activityEvent()
            }
        }
        followOrderStatus()
    }

    /// The entry's `data` members, which become an activity's event properties.
    private var dataMembers: [JSONValue.Member] {
        if case .object(let members) = entry.data { return members }
        return []
    }

    /// An event named by the mapping for the entry's type, keyed by the platform log id.
    private mutating func activityEvent(
        properties: MessageProperties? = nil, value: Money? = nil, currency: String? = nil
    ) {
        guard let metric = mapping.serverMetric(for: entry.type) else { return }
        events.append(
            event(
                metric: metric, uniqueID: String(entry.id), time: entry.at, value: value, currency: currency,
                properties: properties ?? .object(dataMembers)))
    }

    /// Started Checkout: `unique_id` = cart id + `_` + unix seconds, the value the storefront's script
    /// sends for the same checkout, so Klaviyo keeps one event, not two.
    private mutating func startedCheckout() {
        // Sent even when the storefront tracks it: both carry the same unique_id, and Klaviyo keeps one.
        guard let metric = mapping.metric(for: entry.type) else { return }
        let cart = entry.cart
        let uniqueID = (cart?.id ?? customer.id) + "_" + String(entry.at.unixSeconds)
        events.append(
            event(
                metric: metric, uniqueID: uniqueID, time: entry.at, value: cart?.total,
                properties: OrderState.checkoutProperties(cart)))
    }

    // MARK: Orders

    /// An order milestone: sent once per order, and only after Placed Order.
    ///
    /// An order first seen mid-history is placed from its snapshot first. An entry without an `order` snapshot uses the
    /// stored order its `data.order_id` names.
    private mutating func orderEvent(_ milestone: OrderState.Milestone) {
        // Taken out of `order` and put back, not copied: a copy would make each change copy it again.
        guard var current = order.take() else {
            skipped += 1
            return
        }
        if let snapshot = entry.order {
            if current.snapshot != snapshot {
                current.snapshot = snapshot
                orderChanged = true
            }
            let customerID = snapshot.customerID ?? customer.id
            if current.customerID != customerID {
                current.customerID = customerID
                orderChanged = true
            }
        } else if current.snapshot == nil {
            // Neither the entry nor the store knows the order: nothing to send.
            skipped += 1
            order = current
            return
        }
        if !current.has(.placed) {
            place(&current, time: milestone == .placed ? entry.at : (current.snapshot?.createdAt ?? entry.at))
            orderChanged = true
        }
        if milestone != .placed { transition(&current, to: milestone, metricType: entry.type) }
        order = current
    }

    /// Seed 000/004: the order follows its status on any entry that carries its snapshot (a skip, an
    /// activity, an unknown type): Cancelled, Completed or Paid, and Refunded send their event once,
    /// after Placed Order (placing the order first when the journal starts mid-history).
    private mutating func followOrderStatus() {
        guard let status = entry.order?.status, let milestone = OrderState.Milestone(status: status),
            var current = order.take()
        else { return }
        defer { order = current }
        guard !current.has(milestone) else { return }
        if current.snapshot != entry.order {
            current.snapshot = entry.order
            orderChanged = true
        }
        let customerID = entry.order?.customerID ?? customer.id
        if current.customerID != customerID {
            current.customerID = customerID
            orderChanged = true
        }
        if !current.has(.placed) {
            place(&current, time: current.snapshot?.createdAt ?? entry.at)
            orderChanged = true
        }
        transition(&current, to: milestone, metricType: milestone.entryType)
    }

    /// Marks `milestone` sent and sends its event (named by `metricType`'s metric), once.
    private mutating func transition(
        _ current: inout OrderState, to milestone: OrderState.Milestone, metricType: String
    ) {
        guard !current.has(milestone) else { return }
        current.sent |= milestone.rawValue
        reached.append(milestone)
        orderChanged = true
        if let metric = mapping.serverMetric(for: metricType) {
            let reason = entry.data?["reason"]?.stringValue
            let snapshot = current.snapshot
            // Before `events.append(event(…))`, whose call reads a copy of the fold: the memo's dictionary
            // would not be uniquely referenced there, and each insert would copy it whole.
            let properties =
                reason == nil ? orderPropertiesMemo.properties(of: current) : current.orderProperties(reason: reason)
            events.append(
                event(
                    metric: metric, uniqueID: current.id, time: entry.at, value: snapshot?.total,
                    currency: snapshot?.currency, properties: properties))
        }
        if milestone == .fulfilled { changeList(.purchases, join: true) }
    }

    /// Placed Order and one Ordered Product per line.
    private mutating func place(_ current: inout OrderState, time: Timestamp) {
        current.sent |= OrderState.Milestone.placed.rawValue
        current.placedSeq = seq
        guard let snapshot = current.snapshot else { return }
        if let metric = mapping.serverMetric(for: "order.created") {
            let properties = orderPropertiesMemo.properties(of: current)  // before the append, as in transition
            events.append(
                event(
                    metric: metric, uniqueID: current.id, time: time, value: snapshot.total,
                    currency: snapshot.currency, properties: properties))
        }
        guard let productMetric = mapping.serverMetric(for: EventMapping.orderedProductKey) else { return }
        let uniqueIDs = OrderState.productUniqueIDs(orderID: current.id, items: snapshot.items)
        for (item, uniqueID) in zip(snapshot.items, uniqueIDs) {
            events.append(
                event(
                    metric: productMetric, uniqueID: uniqueID, time: time, value: item.rowTotal,
                    currency: snapshot.currency,
                    properties: OrderState.productProperties(orderID: current.id, item: item)))
        }
    }

    /// Keeps the customer's recent orders by delivery week, for the week's order tag.
    private mutating func noteOrderWeek() {
        guard let snapshot = entry.order else { return }
        let calendar = mapping.calendar
        let orderWeek =
            snapshot.deliveryDate.flatMap(calendar.week(ofDate:)) ?? calendar.week(of: snapshot.createdAt ?? entry.at)
        if customer.noteOrder(id: snapshot.id, week: orderWeek, status: snapshot.status, around: week) {
            profileInputsChanged = true
        }
    }

    // MARK: Shared identifiers

    /// Settles who keeps the customer's email and phone when they changed, or while another customer
    /// owns one of them (the owner may have let it go).
    private mutating func settleIdentifiers(emailBefore: String?, phoneBefore: String?) {
        let sharedBefore = customer.shared
        let identity = customer.identity
        if identity.email != emailBefore || customer.shared.contains(.email) {
            let now = identity.email.flatMap(IdentifierKey.email)
            settle(.email, before: emailBefore.flatMap(IdentifierKey.email), now: now)
        }
        if identity.phone != phoneBefore || customer.shared.contains(.phone) {
            let now = identity.phone.flatMap(IdentifierKey.phone)
            settle(.phone, before: phoneBefore.flatMap(IdentifierKey.phone), now: now)
        }
        if customer.shared != sharedBefore { profileInputsChanged = true }
    }

    /// The first customer who has an identifier keeps it; one who no longer has it lets it go.
    private mutating func settle(_ kind: SharedIdentifiers, before: String?, now: String?) {
        if let before, before != now, owners[before] == customer.id {
            owners[before] = nil
            ownerChanges.append(before)
        }
        guard let now else {
            customer.shared.remove(kind)
            return
        }
        switch owners[now] {
        case nil:
            owners[now] = customer.id
            ownerChanges.append(now)
            customer.shared.remove(kind)
        case customer.id?:
            customer.shared.remove(kind)
        default:
            customer.shared.insert(kind)
        }
    }

    // MARK: Profile and lists

    private mutating func changeList(_ list: CustomerList, join: Bool) {
        guard customer.isMember(of: list) != join else { return }
        if join { customer.lists |= list.bit } else { customer.lists &= ~list.bit }
        var m = message(join ? .listAdd : .listRemove)
        m.list = mapping.name(of: list)
        listChanges.append(m)
    }

    /// A profile upsert when the identity or the properties differ from what was last sent.
    ///
    /// After every entry the last sent profile is the customer's profile for the journal's week, so
    /// when the entry changed nothing the profile reads, only the week's order tag can differ.
    private mutating func profileUpsert() -> OutboundMessage? {
        // Read through optional chaining, and the last profile moved out and back: each copy of the
        // optional went through the generic value witness, retaining every string of the profile.
        if !profileInputsChanged, let tag = customer.lastProfile?.weekTag, tag == customer.weekTag(week: week) {
            return nil
        }
        let profile = SentProfile(customer, week: week)
        let last = customer.lastProfile.take()
        if let last, last == profile {
            customer.lastProfile = last
            return nil
        }
        var m = message(.profile)
        m.properties = profile.properties(clearing: last)
        m.clearedIdentity = profile.clearedIdentity(since: last)
        customer.lastProfile = profile
        return m
    }

    /// A profile upsert carries the whole identity; every other message only what Klaviyo finds the
    /// profile by, which is all its call sends (a third of each event's stored body was names and
    /// addresses nobody read).
    private func message(_ kind: OutboundMessage.Kind) -> OutboundMessage {
        OutboundMessage(
            kind: kind, customerID: customer.id, time: entry.at,
            identity: kind == .profile ? customer.sentIdentity : customer.sentIdentifiers, sourceSeq: seq)
    }

    private func event(
        metric: String, uniqueID: String, time: Timestamp, value: Money?, currency: String? = nil,
        properties: MessageProperties
    ) -> OutboundMessage {
        OutboundMessage(
            kind: .event, customerID: customer.id, metric: metric, uniqueID: uniqueID, time: time, value: value,
            currency: value == nil ? nil : (currency ?? "USD"), identity: customer.sentIdentifiers,
            properties: properties,
            sourceSeq: seq)
    }
}
