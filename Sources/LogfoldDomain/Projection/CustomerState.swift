/// Everything logfold knows about one customer, folded from the journal.
///
/// Snapshots carry the platform's *current* data, so each one overwrites what it reports; absent
/// members leave the known value alone (a `login` entry may carry only the id and email).
package struct CustomerState: Sendable, Hashable {
    package var identity: ProfileIdentity
    package var status: CustomerStatus?
    package var schedule: DeliverySchedule?
    package var box: String?
    package var signupDate: String?
    package var nextDelivery: String?
    package var cancelDate: String?
    /// Email marketing consent as last reported.
    package var subscribed: Bool?
    /// Has started a signup (a Started Checkout): half of the Missed Signup rule.
    package var startedSignup = false
    /// Has completed a signup at some point (a `signup.completed`, a signup date, or a status only a
    /// subscriber has): a former customer is never a missed signup.
    package var completedSignup = false
    /// Whether logfold has told Klaviyo to suppress the profile.
    package var suppressed = false
    /// The identifiers this customer has that another customer owns (``SharedIdentifiers``): Klaviyo
    /// gets the profile without them.
    package var shared: SharedIdentifiers = []
    /// List memberships logfold has sent, as ``CustomerList`` bits.
    package var lists: UInt8 = 0
    /// Orders of recent delivery weeks, for the week's order tag.
    package var recentOrders: [WeekOrder] = []
    /// The profile last sent, to send an upsert only when something changed.
    package var lastProfile: SentProfile?
    /// What ActiveCampaign was last told, when that destination is enabled.
    package var activeCampaign: ActiveCampaignSent?
    /// The journal seq of the last entry that changed this state.
    package var lastSeq: UInt64 = 0

    /// A customer seen for the first time.
    package init(id: String) {
        identity = ProfileIdentity(externalID: id)
    }

    /// The platform customer id.
    package var id: String { identity.externalID }

    /// Missed Signup (seed 000): started a signup but has none of a box, a schedule or Active status,
    /// and never completed one.
    package var missedSignup: Bool {
        startedSignup && !completedSignup && box == nil && schedule == nil && status != .active
    }

    /// Whether the seed's rule says the profile must be suppressed: Dead, or not subscribed to email.
    package var mustBeSuppressed: Bool { status == .dead || subscribed == false }

    /// Whether the customer is on `list` (as far as Klaviyo was told).
    package func isMember(of list: CustomerList) -> Bool { lists & list.bit != 0 }

    /// Takes in what a snapshot reports; returns whether anything but ``subscribed`` changed (the
    /// fold compares that one itself, since the entry's type may set it again).
    ///
    /// Absent members keep the known value; members sent as `null` (``CustomerSnapshot/cleared``) are
    /// cleared. Once the status is reported, box, schedule and cancel date as reported (absent
    /// included) are the truth, so a Stopped customer without a box really has none. The email is the
    /// profile's identifier and is never cleared.
    @discardableResult
    package mutating func absorb(_ snapshot: CustomerSnapshot) -> Bool {
        var changed = false
        let cleared = snapshot.cleared
        if let email = snapshot.email { changed = Self.update(&identity.email, email) || changed }
        changed = Self.take(&identity.firstName, snapshot.firstName, cleared, .firstName) || changed
        changed = Self.take(&identity.lastName, snapshot.lastName, cleared, .lastName) || changed
        changed = Self.take(&identity.phone, snapshot.phone, cleared, .phone) || changed
        changed = Self.take(&identity.location, snapshot.address, cleared, .address) || changed
        if let status = snapshot.status {
            changed = Self.update(&self.status, status) || changed
            changed = Self.update(&box, snapshot.box) || changed
            changed = Self.update(&schedule, snapshot.schedule) || changed
            changed = Self.update(&cancelDate, snapshot.cancelDate) || changed
        } else {
            changed = Self.take(&self.status, nil, cleared, .status) || changed
            changed = Self.take(&box, snapshot.box, cleared, .box) || changed
            changed = Self.take(&schedule, snapshot.schedule, cleared, .schedule) || changed
            changed = Self.take(&cancelDate, snapshot.cancelDate, cleared, .cancelDate) || changed
        }
        changed = Self.take(&signupDate, snapshot.signupDate, cleared, .signupDate) || changed
        changed = Self.take(&nextDelivery, snapshot.nextDelivery, cleared, .nextDelivery) || changed
        if let subscribed = snapshot.subscribed { self.subscribed = subscribed }
        if !completedSignup, signupDate != nil || status == .active || status == .onHold || status == .stopped {
            completedSignup = true
            changed = true
        }
        return changed
    }

    /// A member the snapshot reported (`value`), cleared (`null`), or left out (kept).
    private static func take<T: Equatable>(
        _ field: inout T?, _ value: T?, _ cleared: CustomerSnapshot.Fields, _ member: CustomerSnapshot.Fields
    ) -> Bool {
        if let value { return update(&field, value) }
        guard cleared.contains(member), field != nil else { return false }
        field = nil
        return true
    }

    /// Sets `field` to `value`; returns whether it changed.
    ///
    /// An equal value is stored too: it is the one the decoder's ``SnapshotMemo`` hands out again for the
    /// customer's next entries, and strings sharing storage compare without reading their bytes.
    private static func update<T: Equatable>(_ field: inout T?, _ value: T?) -> Bool {
        let changed = field != value
        field = value
        return changed
    }

    /// Records an order's delivery week and status, keeping only weeks near `week`; returns whether
    /// the recent orders changed.
    @discardableResult
    package mutating func noteOrder(id: String, week: Int32, status: OrderStatus?, around current: Int32) -> Bool {
        let oldest = current - 2
        var changed = false
        if let i = recentOrders.firstIndex(where: { $0.orderID == id }) {
            if recentOrders[i].week != week || recentOrders[i].status != status {
                recentOrders[i].week = week
                recentOrders[i].status = status
                changed = true
            }
        } else if week >= oldest {
            // An order of an older week would be dropped again at once: not a change.
            recentOrders.append(WeekOrder(week: week, orderID: id, status: status))
            changed = true
        }
        if recentOrders.contains(where: { $0.week < oldest }) {
            recentOrders.removeAll { $0.week < oldest }
            changed = true
        }
        return changed
    }

    /// Whether the customer's week tag may differ from `no order` in `week` or later.
    ///
    /// True with an order of that week or later, or a tag other than `no order` last sent. Only such customers can need a profile
    /// update when the journal's week changes.
    package func watchesWeeks(from week: Int32) -> Bool {
        if let tag = lastProfile?.weekTag, tag != Self.noOrderTag { return true }
        return recentOrders.contains { $0.week >= week }
    }

    /// The latest delivery week of the recent orders, or `nil` without any (the store keeps it so a warm
    /// start finds the customers ``watchesWeeks(from:)`` names without reading every state).
    package var latestOrderWeek: Int32? { recentOrders.lazy.map(\.week).max() }

    /// Seed 002's tag when the customer has no order in the week.
    package static let noOrderTag = "no order"

    /// Seed 002's three week's tags, of which a customer holds exactly one.
    package static let weekTags = ["open order", "closed order", noOrderTag]

    /// Seed 002's tag for the week `week`: `open order`, `closed order` or `no order`.
    package func weekTag(week: Int32) -> String {
        var closed = false
        for order in recentOrders where order.week == week {
            if order.status == .open || order.status == nil { return "open order" }
            if order.status == .completed { closed = true }
        }
        return closed ? "closed order" : Self.noOrderTag
    }
}

/// An order of a customer in a given delivery week.
package struct WeekOrder: Sendable, Hashable {
    /// The delivery week, as ``WeekCalendar`` numbers it.
    package var week: Int32
    package var orderID: String
    package var status: OrderStatus?
}
