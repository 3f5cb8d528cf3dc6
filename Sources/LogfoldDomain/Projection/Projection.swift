/// The fold of the journal into customer and order state and outbound messages: pure, no I/O, no
/// clock, no randomness; time comes from the entries.
///
/// `apply` is total: an entry that changes nothing returns `[]`; an illegal or repeated transition is
/// ignored. Projecting the same entries in the same order always gives the same state and messages,
/// whatever the batch boundaries, which is what makes replay byte-identical.
package struct Projection: Sendable {
    package var mapping: EventMapping
    /// The customers in memory, by id (``customer(_:)`` also finds those set aside).
    package internal(set) var customers: [String: CustomerState] = [:]
    /// Customers set aside in their encoded form (``setAsideCustomers(keepingAtMost:)``), by id.
    var dormantCustomers: [String: [UInt8]] = [:]
    package private(set) var orders: [String: OrderState] = [:]
    /// The orders' Placed Order properties, for their later milestones (``OrderPropertiesMemo``).
    var orderPropertiesMemo = OrderPropertiesMemo()
    /// Entries of a type the mapping does not know, by type (journaled, not dropped; a later mapping
    /// and a replay pick them up).
    package private(set) var unknownTypes: [String: Int] = [:]
    /// Order events that could not be sent: no customer to attribute them to, or a transition of an
    /// order never seen placed and without a snapshot to place it.
    package private(set) var skipped = 0
    /// Who owns each email and phone in Klaviyo (``IdentifierKey`` → customer id; ``SharedIdentifiers``).
    package internal(set) var identifierOwners: [String: String] = [:]
    /// Owner keys changed since ``takeOwnerChanges()`` last ran.
    var changedOwnerKeys = Set<String>()
    /// The journal's time (its latest week) and the progress of the week change's profile updates.
    package internal(set) var clock = JournalClock()
    /// Customers whose week tag can change with the week (``CustomerState/watchesWeeks(from:)``); may
    /// hold more, never fewer.
    var watchers = Set<String>()
    /// The customers the current week change still has to look at, in id order, from ``sweepPosition``.
    var sweepQueue: [String]?
    var sweepPosition = 0
    /// Whether the week change stops at a watcher not held, for the caller to read it from the store
    /// (``weekChangeWants``), rather than pass it by: set by a caller that evicts watchers.
    package var pausesForMissingCustomers = false
    /// The customers a paused week change needs held before ``resumeWeekChange(appendingTo:)``; empty
    /// when none is paused.
    package internal(set) var weekChangeWants: [String] = []
    /// Those asked for by the last pause: one still not held on resuming is passed by.
    var sweepRequested = Set<String>()
    /// Where the paused entry's messages begin, and its seq and time.
    var pausedWeekChange: PausedWeekChange?
    /// Customers read back for a week change and dropped again unchanged (``takeWeekChangeDrops()``).
    var weekChangeDrops = Eviction()
    /// The most messages one entry produces with a week change's updates.
    ///
    /// 65,536, what an ordinal's 16-bit index numbers. Lower only in tests, to make a change go on over several entries; like the mapping,
    /// a replay must use the value the live fold used.
    package var messagesPerEntry = 1 << 16
    /// ActiveCampaign's mapping; `nil` while that destination is not enabled.
    package var activeCampaign: ActiveCampaignMapping?
    /// ActiveCampaign's messages folded since ``takeActiveCampaignMessages()`` last ran, in send order.
    package internal(set) var activeCampaignMessages: [ActiveCampaignMessage] = []
    /// Where the current entry's ActiveCampaign messages begin in ``activeCampaignMessages``.
    var activeCampaignEntryStart = 0

    /// An empty projection.
    package init(mapping: EventMapping = .defaults) {
        self.mapping = mapping
    }

    /// Whether the customer's state is in memory, or set aside there (without copying it out).
    package func holds(customer id: String) -> Bool {
        customers.index(forKey: id) != nil || dormantCustomers.index(forKey: id) != nil
    }

    /// Whether the order's state is in memory (without copying it out).
    package func holds(order id: String) -> Bool { orders.index(forKey: id) != nil }

    /// Puts back state loaded from the store (a warm start).
    package mutating func restore(customer: CustomerState) {
        if customer.watchesWeeks(from: clock.week ?? .min) { watchers.insert(customer.id) }
        dormantCustomers[customer.id] = nil
        customers[customer.id] = customer
    }

    /// Puts back an identifier's owner loaded from the store (`nil`: nobody owns it).
    package mutating func restore(owner customerID: String?, of key: String) { identifierOwners[key] = customerID }

    /// ActiveCampaign's messages folded since the last call, in send order.
    package mutating func takeActiveCampaignMessages() -> [ActiveCampaignMessage] {
        defer { activeCampaignMessages.removeAll(keepingCapacity: true) }
        return activeCampaignMessages
    }

    /// ``activeCampaignMessages`` moved out whole, leaving it empty: for a batch that lets them gather
    /// entry after entry (taking each entry's copied the array and allocated its next one).
    package mutating func takeAllActiveCampaignMessages() -> [ActiveCampaignMessage] {
        var taken: [ActiveCampaignMessage] = []
        swap(&taken, &activeCampaignMessages)
        activeCampaignEntryStart = 0
        return taken
    }

    /// The owner keys changed since the last call, sorted, each with its owner now (`nil`: let go).
    package mutating func takeOwnerChanges() -> [(key: String, owner: String?)] {
        // Called after every entry of a replay; almost none change an owner.
        guard !changedOwnerKeys.isEmpty else { return [] }
        defer { changedOwnerKeys.removeAll(keepingCapacity: true) }
        return changedOwnerKeys.sorted().map { ($0, identifierOwners[$0]) }
    }

    /// Puts back the journal clock the store kept with the checkpoint (a warm start).
    package mutating func restore(clock: JournalClock) {
        self.clock = clock
        sweepQueue = nil
        sweepRequested = []
    }

    /// Puts back state loaded from the store (a warm start).
    package mutating func restore(order: OrderState) { orders[order.id] = order }

    /// Drops orders from memory (they are in the store; ``restore(order:)`` brings one back), and gives
    /// back the room they took.
    package mutating func forget(orders ids: [String]) {
        for id in ids { orders[id] = nil }
        orderPropertiesMemo.forget(ids)
        // A dictionary keeps its largest capacity otherwise.
        orders.releaseSpareCapacity(above: 4 * orders.count + 64, keepingRoomFor: 2 * orders.count)
    }

    /// The customer an entry is about: its customer's id, its order's, or the stored order's.
    package func customerReference(of entry: LogEntry) -> String? {
        if let id = entry.customer?.id ?? entry.order?.customerID { return id }
        // Through the index: `orders[id]?.customerID` copied the whole order out first.
        guard let order = entry.orderReference, let slot = orders.index(forKey: order) else { return nil }
        return orders.values[slot].customerID
    }

    /// Folds one entry, at journal `seq`, returning the messages it produces in send order.
    ///
    /// An entry of a later week than any before moves the journal's clock: after its own messages come
    /// the profile updates of the customers whose week tag that changes (``continueWeekChange(after:from:seq:time:)``).
    ///
    /// `entry` is consumed: the fold keeps it for the entry's length, and a copy retained and released each
    /// of its strings.
    package mutating func apply(_ entry: consuming LogEntry, seq: UInt64) -> [OutboundMessage] {
        var messages: [OutboundMessage] = []
        apply(consume entry, seq: seq, appendingTo: &messages)
        return messages
    }

    /// ``apply(_:seq:)``, the entry's messages appended to `messages` (a batch's): the array moves into the
    /// fold and back, so no message is copied into it.
    package mutating func apply(
        _ entry: consuming LogEntry, seq: UInt64, appendingTo messages: inout [OutboundMessage]
    ) {
        let at = entry.at
        let entryWeek = mapping.calendar.week(of: at)
        if let week = clock.week {
            if entryWeek > week { beginWeekChange(to: entryWeek) }
        } else {
            beginWeekChange(to: entryWeek)
        }
        activeCampaignEntryStart = activeCampaignMessages.count
        let start = messages.count
        if !JournalTick.isTick(entry) {
            fold(consume entry, seq: seq, week: clock.week ?? entryWeek, appendingTo: &messages)
        }
        if clock.sweeping { continueWeekChange(after: &messages, from: start, seq: seq, time: at) }
    }

    private mutating func fold(
        _ entry: consuming LogEntry, seq: UInt64, week: Int32, appendingTo messages: inout [OutboundMessage]
    ) {
        if !EventMapping.knownTypes.contains(entry.type) && mapping.metric(for: entry.type) == nil {
            unknownTypes[entry.type, default: 0] += 1
        }
        let orderID = entry.orderReference
        // Through the index, not `orders[id]?.customerID`, which copies the whole order out first.
        let storedSlot = entry.order == nil ? orderID.flatMap { orders.index(forKey: $0) } : nil
        let storedCustomer = storedSlot.flatMap { orders.values[$0].customerID }
        guard let customerID = entry.customer?.id ?? entry.order?.customerID ?? storedCustomer else {
            if OrderState.Milestone(entryType: entry.type) != nil || mapping.metric(for: entry.type) != nil {
                skipped += 1
            }
            return
        }
        let hasOrderSnapshot = entry.order != nil
        // The state moves into the fold and back by swapping, never by copying: a copy would share
        // its storage and make the fold's first change to it copy it again.
        var fold = EntryFold(
            entry: consume entry, seq: seq, week: week, mapping: mapping, customer: CustomerState(id: customerID))
        fold.activeCampaign = activeCampaign
        let customerSlot = wakeCustomer(customerID)
        if let customerSlot { swap(&fold.customer, &customers.values[customerSlot]) }
        var orderSlot: Dictionary<String, OrderState>.Index?
        if let orderID {
            var order = OrderState(id: orderID)
            orderSlot = orders.index(forKey: orderID)
            if let orderSlot { swap(&order, &orders.values[orderSlot]) }
            fold.order = order
        }
        swap(&fold.owners, &identifierOwners)
        if orderID != nil { swap(&fold.orderPropertiesMemo, &orderPropertiesMemo) }
        fold.run(appendingTo: &messages)
        if orderID != nil { swap(&fold.orderPropertiesMemo, &orderPropertiesMemo) }
        swap(&fold.owners, &identifierOwners)
        if !fold.ownerChanges.isEmpty { changedOwnerKeys.formUnion(fold.ownerChanges) }
        // Only an order can give the customer a tag other than `no order` in this week or a later one.
        if hasOrderSnapshot, fold.customer.watchesWeeks(from: week) { watchers.insert(customerID) }
        if let customerSlot {
            swap(&fold.customer, &customers.values[customerSlot])
        } else {
            customers[customerID] = fold.customer
        }
        if var order = fold.order.take() {
            if let orderSlot { swap(&order, &orders.values[orderSlot]) } else { orders[order.id] = order }
        }
        skipped += fold.skipped
        if !fold.activeCampaignMessages.isEmpty { activeCampaignMessages += fold.activeCampaignMessages }
    }
}
