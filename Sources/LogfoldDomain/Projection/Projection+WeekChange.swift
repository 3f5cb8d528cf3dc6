/// The week's order tag changes when the journal's week does (seed 002: the tag is the order status
/// "for the current week"), for every customer it changes for, not only those with an entry that week.
///
/// The customers are updated in id order after the messages of the entry that moved the clock. One entry
/// has room for 65,536 messages (an ordinal's index is 16 bits); a larger change goes on after the next
/// entries' messages. Which customers remain follows from the state and ``JournalClock/sweptThrough``
/// alone, so a warm start in the middle of a change sends what an uninterrupted fold would.
extension Projection {
    /// Whether folding `entry` needs every customer ``watchers`` names in memory.
    ///
    /// It does when the entry moves the clock, or a week change is under way. A warm start loads them from the store first.
    package func needsWeekWatchers(for entry: LogEntry) -> Bool {
        guard let week = clock.week else { return true }
        return clock.sweeping || mapping.calendar.week(of: entry.at) > week
    }

    mutating func beginWeekChange(to week: Int32) {
        clock.week = week
        clock.sweeping = true
        clock.sweptThrough = nil
        sweepQueue = nil
    }

    /// Sends the profile updates of the week change that fit after the entry's messages, those of
    /// `messages` from `start`.
    mutating func continueWeekChange(
        after messages: inout [OutboundMessage], from start: Int, seq: UInt64, time: Timestamp
    ) {
        guard let week = clock.week else { return }
        if sweepQueue == nil {
            if let after = clock.sweptThrough {
                sweepQueue = watchers.filter { $0 > after }.sorted()
            } else {
                sweepQueue = watchers.sorted()
            }
            sweepPosition = 0
        }
        let queue = sweepQueue ?? []
        let capacity = min(messagesPerEntry, 1 << 16)
        // A customer adds at most three ActiveCampaign messages (contact, list status, tag).
        while sweepPosition < queue.count, messages.count - start < capacity,
            activeCampaignMessages.count - activeCampaignEntryStart + 3 <= capacity
        {
            let id = queue[sweepPosition]
            sweepPosition += 1
            clock.sweptThrough = id
            // A customer set aside goes back once updated, so that a week change does not bring every
            // watcher into memory at once.
            let wasDormant = dormantCustomers.index(forKey: id) != nil
            guard let slot = wakeCustomer(id) else {
                watchers.remove(id)
                continue
            }
            if var message = Self.weekProfileUpdate(of: &customers.values[slot], week: week, seq: seq, time: time) {
                message.index = UInt16(truncatingIfNeeded: messages.count - start)
                messages.append(message)
            }
            if activeCampaign != nil { weekActiveCampaignUpdate(of: slot, week: week, seq: seq, time: time) }
            if !customers.values[slot].watchesWeeks(from: week) { watchers.remove(id) }
            if wasDormant { setAside(slot) }
        }
        if sweepPosition >= queue.count {
            clock.sweeping = false
            clock.sweptThrough = nil
            sweepQueue = nil
        }
    }

    /// The customer's ActiveCampaign tag (and anything else not yet synced) for `week`.
    private mutating func weekActiveCampaignUpdate(
        of slot: Dictionary<String, CustomerState>.Index, week: Int32, seq: UInt64, time: Timestamp
    ) {
        // Only a customer ActiveCampaign knows: one who never had an email gets nothing.
        guard customers.values[slot].activeCampaign != nil, let email = customers.values[slot].sentEmail
        else { return }
        let payloads = ActiveCampaignEntryMapping.stateChanges(of: &customers.values[slot], email: email, week: week)
        for payload in payloads {
            let index = UInt16(truncatingIfNeeded: activeCampaignMessages.count - activeCampaignEntryStart)
            activeCampaignMessages.append(
                ActiveCampaignMessage(
                    customerID: customers.values[slot].id, time: time, sourceSeq: seq, index: index, payload: payload))
        }
        if !payloads.isEmpty { customers.values[slot].lastSeq = seq }
    }

    /// The customer's profile upsert for `week` when it differs from the one last sent.
    private static func weekProfileUpdate(
        of customer: inout CustomerState, week: Int32, seq: UInt64, time: Timestamp
    ) -> OutboundMessage? {
        guard let last = customer.lastProfile else { return nil }
        let profile = SentProfile(customer, week: week)
        guard profile != last else { return nil }
        var message = OutboundMessage(
            kind: .profile, customerID: customer.id, time: time, identity: customer.sentIdentity, sourceSeq: seq)
        message.properties = profile.properties(clearing: last)
        message.clearedIdentity = profile.clearedIdentity(since: last)
        customer.lastProfile = profile
        customer.lastSeq = seq
        return message
    }
}
