import LogfoldDomain
import LogfoldKlaviyo
package import LogfoldStore

/// Turns a window of pending outbox rows into Klaviyo requests: a pure function of the rows and the
/// options, tested without a network.
///
/// Profile upserts, suppression changes and list changes are coalesced per customer (and list): only
/// the latest matters, the earlier rows are settled with it. Events are never coalesced; they are packed
/// into Bulk Create Events requests within Klaviyo's limits (1,000 events, 5 MB) and never with two
/// events of the same profile, metric and `unique_id` in one request, which Klaviyo would reject whole.
package struct DeliveryPlanner: Sendable {
    /// Klaviyo's limits per request.
    package enum Limits {
        /// Events per Bulk Create Events request.
        package static let eventsPerBulk = 1_000
        /// Profiles per bulk import.
        package static let profilesPerBulk = 10_000
        /// Emails per suppression job.
        package static let emailsPerSuppression = 100
        /// Profile ids per list relationship call.
        package static let profilesPerListCall = 1_000
        /// Bytes per request, with room below Klaviyo's 5 MB for the envelope.
        package static let bytesPerRequest = 4_800_000
    }

    /// The sender's options.
    package var options: SendOptions
    /// Decodes rows.
    package var decoder: OutboxPayloadDecoder

    /// Customers whose phone number belongs to another Klaviyo profile: their upserts go without it.
    package var withoutPhone: Set<String>

    /// The email each customer's profile is meant to hold now (``StateStore/currentEmails(of:)``), for
    /// the event stream: an event naming another email goes by `external_id` alone.
    package var currentEmails: [String: String?]

    /// Creates a planner.
    package init(
        options: SendOptions, now: Int64, withoutPhone: Set<String> = [], currentEmails: [String: String?] = [:]
    ) {
        self.options = options
        self.decoder = OutboxPayloadDecoder(options: options, now: now)
        self.withoutPhone = withoutPhone
        self.currentEmails = currentEmails
    }

    /// The plan for `rows` (pending rows in ordinal order).
    package func plan(_ rows: [OutboxRowWithStatus]) -> DeliveryPlan {
        var dead: [DeliveryMark] = []
        var events: [DeliveryItem] = []
        var profiles = Coalescer()
        var suppression = Coalescer()
        var memberships = Coalescer()
        // Every customer whose upserts in the window name each email (lowercased), superseded ones included.
        var emailHolders: [String: Set<String>] = [:]
        // The kind of the latest row per coalescing key: suppress or unsuppress, list_add or list_remove.
        var latestKind: [String: String] = [:]
        // By index: `for item in rows` copied each row, its strings retained and released.
        for index in rows.indices {
            let row = rows[index].row
            if row.kind == OutboundMessage.Kind.event.rawValue {
                switch decoder.eventItem(row) {
                case .failure(let failure):
                    dead.append(.dead(row.ordinal, failure.reason))
                case .success(let (event, wire)):
                    events.append(eventItem(event, wire: wire, row: row))
                }
                continue
            }
            switch decoder.payload(row) {
            case .failure(let failure):
                dead.append(.dead(row.ordinal, failure.reason))
            case .success(let payload):
                switch payload {
                case .event(let event):
                    events.append(eventItem(event, wire: nil, row: row))
                case .profile(var profile):
                    if withoutPhone.contains(row.customerID) {
                        profile.phoneNumber = nil
                        profile.cleared.remove(.phone)
                    }
                    if case .profile(let earlier)? = profiles.latestPayload(for: row.customerID) {
                        profile = profile.coalesced(after: earlier)
                    }
                    profiles.add(key: row.customerID, ordinal: row.ordinal, payload: .profile(profile))
                    if let email = profile.email?.lowercased() {
                        emailHolders[email, default: []].insert(row.customerID)
                    }
                case .suppression:
                    suppression.add(key: row.customerID, ordinal: row.ordinal, payload: payload)
                    latestKind[row.customerID] = row.kind
                case .membership:
                    let list = row.list ?? ""
                    memberships.add(key: list + "\u{0}" + row.customerID, ordinal: row.ordinal, payload: payload)
                    latestKind[list + "\u{0}" + row.customerID] = row.kind
                }
            }
        }
        refreshIdentifiers(of: &events, &memberships, from: profiles)
        var suppress: [DeliveryItem] = []
        var unsuppress: [DeliveryItem] = []
        for (key, item) in suppression.items {
            if latestKind[key] == OutboundMessage.Kind.suppress.rawValue {
                suppress.append(item)
            } else {
                unsuppress.append(item)
            }
        }
        var listSteps: [DeliveryStep] = []
        var byList: [String: (add: [DeliveryItem], remove: [DeliveryItem])] = [:]
        var listOrder: [String] = []
        for (key, item) in memberships.items {
            let list = String(key.prefix(while: { $0 != "\u{0}" }))
            if byList[list] == nil {
                listOrder.append(list)
                byList[list] = ([], [])
            }
            if latestKind[key] == OutboundMessage.Kind.listAdd.rawValue {
                byList[list]?.add.append(item)
            } else {
                byList[list]?.remove.append(item)
            }
        }
        for list in listOrder {
            guard let changes = byList[list] else { continue }
            listSteps += chunks(changes.add, limit: Limits.profilesPerBulk).map {
                .init(kind: .listAdd(list), items: $0)
            }
            listSteps += chunks(changes.remove, limit: Limits.profilesPerListCall).map {
                .init(kind: .listRemove(list), items: $0)
            }
        }
        // In the order of their latest rows: an email one customer lets go is released before another
        // customer's upsert takes it.
        // In the order of their latest rows. An upsert taking an email another customer's upsert in the
        // window held (the fold hands a shared email over when its owner lets it go) waits for a later
        // phase: run side by side, it could reach Klaviyo before the release and be refused.
        var releasing: [DeliveryItem] = []
        var claiming: [DeliveryItem] = []
        for (customerID, item) in profiles.items.sorted(by: { $0.1.ordinal < $1.1.ordinal }) {
            guard case .profile(let profile) = item.payload, let email = profile.email?.lowercased(),
                emailHolders[email, default: []].contains(where: { $0 != customerID })
            else {
                releasing.append(item)
                continue
            }
            claiming.append(item)
        }
        let profileSteps = steps(forProfiles: releasing)
        let claimSteps = steps(forProfiles: claiming)
        let eventSteps: [DeliveryStep] =
            events.count >= options.bulkEventMinimum
            ? eventBatches(consume events).map { .init(kind: .eventBulk, items: $0) }
            : events.map { .init(kind: .event, items: [$0]) }
        let suppressSteps = chunks(suppress, limit: Limits.emailsPerSuppression).map {
            DeliveryStep(kind: .suppress, items: $0)
        }
        let unsuppressSteps = chunks(unsuppress, limit: Limits.emailsPerSuppression).map {
            DeliveryStep(kind: .unsuppress, items: $0)
        }
        // Profiles, lists and events commute (events carry identifiers only) and use separate rate
        // budgets: one phase, run as concurrent lanes. A suppression goes first, so no flow an event
        // triggers reaches the profile, unless the window also upserts profiles: an upsert may give the
        // suppressed email to its profile (or take it from another), and suppressing first would reach
        // the wrong profile or make a second one. Then the profiles go before it.
        let phases =
            claimSteps.isEmpty && (suppress.isEmpty || profileSteps.isEmpty)
            ? [suppressSteps, profileSteps + listSteps + eventSteps, unsuppressSteps]
            : [profileSteps, claimSteps, suppressSteps, listSteps + eventSteps, unsuppressSteps]
        return DeliveryPlan(phases: phases.filter { !$0.isEmpty }, settledLocally: dead)
    }

    /// An event's item: its payload (boxed once), its ledger entry and, when the decoder wrote it, its Bulk
    /// Create Events item.
    private func eventItem(_ event: KlaviyoEvent, wire: [UInt8]?, row: OutboxRow) -> DeliveryItem {
        var payload = DeliveryPayload.event(event)
        // An email the customer has let go since (or another customer owns now) would point Klaviyo at the
        // wrong profile, or give it back: the external id finds the right one. The profile is not part of
        // the item's wire (it goes in the request's group), so the wire stands.
        if let current = currentEmails[row.customerID], let email = event.profileEmail, !Self.sameEmail(current, email)
        {
            var withoutEmail = event
            withoutEmail.profileEmail = nil
            payload = .event(withoutEmail)
        }
        let ledger = LedgerEntry(
            ordinal: row.ordinal, metric: event.metric, uniqueID: event.uniqueID, profileKey: row.customerID)
        var item = DeliveryItem(ordinal: row.ordinal, payload: payload, ledger: ledger)
        item.wire = wire
        return item
    }

    /// Whether `current` names the same email as `email`, ignoring case: `lowercased()` on both, without
    /// allocating two strings per event for the ASCII emails nearly all are.
    static func sameEmail(_ current: String?, _ email: String) -> Bool {
        guard var current else { return false }
        var email = email
        // Over the strings' own bytes: zipping two `UTF8View`s went a byte at a time through their
        // iterators, 1.3% of the sender's samples.
        let sameASCII = current.withUTF8 { a in email.withUTF8 { b in Self.sameASCIIEmail(a, b) } }
        if let sameASCII { return sameASCII }
        return current.lowercased() == email.lowercased()
    }

    /// Whether two emails are the same ignoring ASCII case, decided from their bytes; `nil` when a
    /// non-ASCII byte leaves it to Unicode case mapping.
    private static func sameASCIIEmail(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        if a.count == b.count {
            for i in 0..<a.count {
                let x = a[i]
                let y = b[i]
                if (x | y) >= 0x80 { return nil }
                // ASCII letters differ by 0x20 between cases; any other difference is a different email.
                if x != y, x | 0x20 != y | 0x20 || !(0x61...0x7A).contains(x | 0x20) { return false }
            }
            return true
        }
        return a.allSatisfy { $0 < 0x80 } && b.allSatisfy { $0 < 0x80 } ? false : nil
    }

    /// Profile upserts as one bulk import per 10,000 (from ``SendOptions/bulkProfileMinimum`` on) or one
    /// profile import each.
    func steps(forProfiles items: [DeliveryItem]) -> [DeliveryStep] {
        items.count >= options.bulkProfileMinimum
            ? sizedChunks(items, limit: Limits.profilesPerBulk).map { .init(kind: .profileBulk, items: $0) }
            : items.map { .init(kind: .profileImport, items: [$0]) }
    }

    /// Points events and list changes at the profile as the window's last upsert of their customer leaves
    /// it: an email an earlier row named may since belong to another customer (the fold's shared
    /// identifiers), and Klaviyo would refuse identifiers of two profiles.
    func refreshIdentifiers(of events: inout [DeliveryItem], _ memberships: inout Coalescer, from profiles: Coalescer) {
        func latest(_ customerID: String) -> KlaviyoProfile? {
            guard case .profile(let profile)? = profiles.latestPayload(for: customerID) else { return nil }
            return profile.identifiersOnly
        }
        for i in events.indices {
            // The customer's upsert first: most windows' events have none, and taking the event out of its
            // payload copies it.
            guard let customerID = events[i].ledger?.profileKey, let current = latest(customerID),
                case .event(var event) = events[i].payload,
                current.externalID != event.profileExternalID || current.email != event.profileEmail
            else { continue }
            event.profile = current
            events[i].payload = .event(event)
        }
        memberships.updatePayloads { key, payload in
            guard case .membership = payload,
                let current = latest(String(key.drop(while: { $0 != "\u{0}" }).dropFirst()))
            else { return payload }
            return .membership(current)
        }
    }

    /// Profile items in chunks of `limit` and about 4.8 MB.
    func sizedChunks(_ items: [DeliveryItem], limit: Int) -> [[DeliveryItem]] {
        var result: [[DeliveryItem]] = []
        var current: [DeliveryItem] = []
        var bytes = 0
        for item in items {
            var size = 64
            if case .profile(let profile) = item.payload {
                size = KlaviyoRequestBody.profileImport(profile).rendered.utf8.count
            }
            if !current.isEmpty, current.count >= limit || bytes + size > Limits.bytesPerRequest {
                result.append(current)
                current = []
                bytes = 0
            }
            current.append(item)
            bytes += size
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    func chunks(_ items: [DeliveryItem], limit: Int) -> [[DeliveryItem]] {
        stride(from: 0, to: items.count, by: limit).map { Array(items[$0..<min($0 + limit, items.count)]) }
    }
}

/// Keeps the latest message per key and remembers the rows it replaced, in first-seen key order (so the
/// plan does not depend on hashing).
struct Coalescer {
    private var order: [String] = []
    private var latest: [String: DeliveryItem] = [:]

    mutating func add(key: String, ordinal: UInt64, payload: DeliveryPayload) {
        if var previous = latest[key] {
            previous.superseded.append(previous.ordinal)
            previous.ordinal = ordinal
            previous.payload = payload
            latest[key] = previous
        } else {
            order.append(key)
            latest[key] = DeliveryItem(ordinal: ordinal, payload: payload)
        }
    }

    /// Replaces each latest payload with what `transform` makes of it (keys and rows unchanged).
    mutating func updatePayloads(_ transform: (String, DeliveryPayload) -> DeliveryPayload) {
        for key in order {
            guard var item = latest[key] else { continue }
            item.payload = transform(key, item.payload)
            latest[key] = item
        }
    }

    /// The payload of the latest item under `key`, if any.
    func latestPayload(for key: String) -> DeliveryPayload? { latest[key]?.payload }

    var items: [(String, DeliveryItem)] {
        order.compactMap { key in latest[key].map { (key, $0) } }
    }
}
