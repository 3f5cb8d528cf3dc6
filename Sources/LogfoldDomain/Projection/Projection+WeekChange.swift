/// The week's order tag changes when the journal's week does (seed 002: the tag is the order status
/// "for the current week"), for every customer it changes for, not only those with an entry that week.
///
/// The customers are updated in id order after the messages of the entry that moved the clock. One entry
/// has room for 65,536 messages (an ordinal's index is 16 bits); a larger change goes on after the next
/// entries' messages. Which customers remain follows from the state and ``JournalClock/sweptThrough``
/// alone, so a warm start in the middle of a change sends what an uninterrupted fold would.
///
/// A caller that lets watchers leave memory for the store (``pausesForMissingCustomers``) gets the change
/// paused at the first one not held: it reads those ``weekChangeWants`` names and resumes the same entry's
/// share (``resumeWeekChange(appendingTo:)``), so that the messages are those of a fold that held them all,
/// and memory never needs every watcher at once.
extension Projection {
    /// The most customers one pause asks for: a few milliseconds of reads, a few MB set aside.
    static let weekChangeWantsPerPause = 4_096

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
        sweepRequested = []
    }

    /// Goes on with the paused week change of the entry last folded.
    ///
    /// The caller first restores what ``weekChangeWants`` named (``restore(setAside:encoded:)``);
    /// `messages` is the array that entry's messages went to. A customer asked for that is still not held
    /// has no state to update.
    package mutating func resumeWeekChange(appendingTo messages: inout [OutboundMessage]) {
        guard let paused = pausedWeekChange else { return }
        pausedWeekChange = nil
        weekChangeWants = []
        continueWeekChange(after: &messages, from: paused.start, seq: paused.seq, time: paused.time)
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
            if pausesForMissingCustomers, !sweepRequested.contains(id), !holds(customer: id) {
                pauseWeekChange(queue: queue, start: start, seq: seq, time: time)
                return
            }
            sweepPosition += 1
            clock.sweptThrough = id
            // A customer set aside goes back once updated, so that a week change does not bring every
            // watcher into memory at once; one read back for it leaves again if it comes out as the store
            // holds it (most do not change), so that a share's pauses never gather them all.
            let readBack = sweepRequested.contains(id) ? dormantCustomers[id] : nil
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
            if let readBack, ProjectionCodec.encode(customers.values[slot]) == readBack {
                dropUnchanged(slot)
            } else if wasDormant {
                setAside(slot)
            }
        }
        sweepRequested = []
        if sweepPosition >= queue.count {
            clock.sweeping = false
            clock.sweptThrough = nil
            sweepQueue = nil
        }
    }

    /// Drops from memory a customer read back for the change that it left as the store holds it, with the
    /// identifier owner keys it owns, as an eviction does (``takeWeekChangeDrops()``).
    private mutating func dropUnchanged(_ slot: Dictionary<String, CustomerState>.Index) {
        let id = customers.keys[slot]
        let keys = [
            customers.values[slot].identity.email.flatMap(IdentifierKey.email),
            customers.values[slot].identity.phone.flatMap(IdentifierKey.phone),
        ]
        for case let key? in keys where identifierOwners[key] == id {
            identifierOwners[key] = nil
            weekChangeDrops.ownerKeys.append(key)
        }
        weekChangeDrops.customers.append(id)
        customers.remove(at: slot)
    }

    /// The customers, and owner keys, that week changes dropped from memory since the last call: the
    /// caller notes them as evicted.
    package mutating func takeWeekChangeDrops() -> Eviction {
        defer { weekChangeDrops = Eviction() }
        return weekChangeDrops
    }

    /// Stops the week change at ``sweepPosition`` and names the next customers of `queue` not held, for the
    /// caller to read.
    private mutating func pauseWeekChange(queue: [String], start: Int, seq: UInt64, time: Timestamp) {
        var wants: [String] = []
        var position = sweepPosition
        while position < queue.count, wants.count < Self.weekChangeWantsPerPause {
            if !holds(customer: queue[position]) { wants.append(queue[position]) }
            position += 1
        }
        weekChangeWants = wants
        sweepRequested = Set(wants)
        pausedWeekChange = PausedWeekChange(start: start, seq: seq, time: time)
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

/// A week change stopped within an entry's share for the caller to read customers
/// (``Projection/resumeWeekChange(appendingTo:)``).
struct PausedWeekChange: Sendable {
    /// Where the entry's messages begin in the caller's array.
    var start: Int
    var seq: UInt64
    var time: Timestamp
}
