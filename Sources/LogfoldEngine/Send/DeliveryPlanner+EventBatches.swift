import LogfoldDomain
import LogfoldKlaviyo

extension DeliveryPlanner {
    /// Events packed into bulk requests of at most 1,000 events and about 4.8 MB.
    ///
    /// No two with the same
    /// (profile, metric, unique_id), where the profile is matched by external id *or* email, since two
    /// customers sharing an email may be one Klaviyo profile. A colliding event waits for a later request.
    func eventBatches(_ items: consuming [DeliveryItem]) -> [[DeliveryItem]] {
        // Each item is rendered, measured and keyed once; batches are planned over indices and each item
        // is moved, not copied, into its batch: the window is the planner's own (`consuming`), so storing
        // the wire copies nothing, and a swap leaves a vacated slot instead of retaining every member.
        var sizes = [Int](repeating: 0, count: items.count)
        var identities = [EventIdentity?](repeating: nil, count: items.count)
        for index in items.indices {
            guard case .event(let event) = items[index].payload else { continue }
            // The decoder wrote the item with the event's properties (``OutboxPayloadDecoder/eventItem(_:)``).
            if items[index].wire == nil {
                items[index].wire = KlaviyoRequestBody.bulkEventItem(event, includeBackfill: options.includeBackfill)
            }
            // The item, plus its share of a profile group (identifiers, envelope) at worst.
            sizes[index] = (items[index].wire?.count ?? 0) + 200
            identities[index] = EventIdentity(
                metric: event.metric, uniqueID: event.uniqueID, externalID: event.profileExternalID,
                email: event.profileEmail)
        }
        var batches: [[DeliveryItem]] = []
        var waiting = Array(items.indices)
        // A cursor, not a copy of the rest per batch: a window of 50,000 events copied its tail fifty times.
        var start = 0
        while start < waiting.count {
            var batch: [Int] = []
            var bytes = 0
            var members = BatchMembers()
            var deferred: [Int] = []
            var position = start
            while position < waiting.count {
                let index = waiting[position]
                guard let identity = identities[index] else {
                    position += 1
                    continue
                }
                if batch.count >= Limits.eventsPerBulk
                    || (!batch.isEmpty && bytes + sizes[index] > Limits.bytesPerRequest)
                {
                    break
                }
                position += 1
                if members.collides(with: identity) {
                    deferred.append(index)
                    continue
                }
                batch.append(index)
                bytes += sizes[index]
                members.insert(identity)
            }
            if batch.isEmpty { break }  // cannot happen: the first waiting event always fits
            batches.append(
                batch.map { index in
                    var item = Self.vacated
                    swap(&item, &items[index])
                    return item
                })
            if deferred.isEmpty {
                start = position
            } else {
                // The deferred events go first in the next batch, as they came before the rest.
                waiting = deferred + waiting[position...]
                start = 0
            }
        }
        return batches
    }

    /// What ``eventBatches(_:)`` leaves in a slot whose item went to a batch: nothing on the heap.
    private static let vacated = DeliveryItem(ordinal: 0, payload: .suppression(email: ""))
}

/// What two events of one Bulk Create Events request must not share: Klaviyo would merge them (the same
/// metric and unique id on the same profile, by external id or by email, ignoring case).
private struct EventIdentity {
    let metric: String
    let uniqueID: String
    let externalID: String
    let email: String?

    func collides(with other: EventIdentity) -> Bool {
        guard metric == other.metric, uniqueID == other.uniqueID else { return false }
        if externalID == other.externalID { return true }
        guard let email else { return false }
        return other.email.map { DeliveryPlanner.sameEmail($0, email) } ?? false
    }
}

/// The events of one bulk request, found by unique id: one string hashed per event, where a set of
/// (metric, unique id, identifier) keys hashed three strings twice per event and lowercased each email.
private struct BatchMembers {
    private var members: [EventIdentity] = []
    /// Per member, the member before it with the same unique id (-1 for none).
    private var previousWithUniqueID: [Int] = []
    /// Per unique id, its latest member.
    private var latestWithUniqueID: [String: Int] = [:]

    func collides(with identity: EventIdentity) -> Bool {
        var slot = latestWithUniqueID[identity.uniqueID] ?? -1
        while slot >= 0 {
            if members[slot].collides(with: identity) { return true }
            slot = previousWithUniqueID[slot]
        }
        return false
    }

    mutating func insert(_ identity: EventIdentity) {
        previousWithUniqueID.append(latestWithUniqueID[identity.uniqueID] ?? -1)
        latestWithUniqueID[identity.uniqueID] = members.count
        members.append(identity)
    }
}
