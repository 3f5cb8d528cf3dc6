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
    /// Whether logfold has told Klaviyo to suppress the profile.
    package var suppressed = false
    /// List memberships logfold has sent, as ``CustomerList`` bits.
    package var lists: UInt8 = 0
    /// Orders of recent delivery weeks, for the week's order tag.
    package var recentOrders: [WeekOrder] = []
    /// The profile properties last sent, to send an upsert only when something changed.
    package var lastProfile: JSONValue?
    /// The journal seq of the last entry that changed this state.
    package var lastSeq: UInt64 = 0

    /// A customer seen for the first time.
    package init(id: String) {
        identity = ProfileIdentity(externalID: id)
    }

    /// The platform customer id.
    package var id: String { identity.externalID }

    /// Missed Signup (seed 000): started a signup but has none of a box, a schedule or Active status.
    package var missedSignup: Bool {
        startedSignup && box == nil && schedule == nil && status != .active
    }

    /// Whether the seed's rule says the profile must be suppressed: Dead, or not subscribed to email.
    package var mustBeSuppressed: Bool { status == .dead || subscribed == false }

    /// Whether the customer is on `list` (as far as Klaviyo was told).
    package func isMember(of list: CustomerList) -> Bool { lists & list.bit != 0 }

    /// Takes in what a snapshot reports.
    ///
    /// Absent members keep the known value; `null` members were read as absent by the parser, so a
    /// cleared box shows as the status change that comes with it.
    package mutating func absorb(_ snapshot: CustomerSnapshot) {
        if let email = snapshot.email { identity.email = email }
        if let first = snapshot.firstName { identity.firstName = first }
        if let last = snapshot.lastName { identity.lastName = last }
        if let phone = snapshot.phone { identity.phone = phone }
        if let address = snapshot.address { identity.location = address }
        if let status = snapshot.status {
            self.status = status
            // A snapshot is the current data: once the status is reported, box and schedule as reported
            // (null included) are the truth, so a Stopped customer without a box really has none.
            box = snapshot.box
            schedule = snapshot.schedule
            cancelDate = snapshot.cancelDate
        } else {
            if let box = snapshot.box { self.box = box }
            if let schedule = snapshot.schedule { self.schedule = schedule }
            if let cancelDate = snapshot.cancelDate { self.cancelDate = cancelDate }
        }
        if let signupDate = snapshot.signupDate { self.signupDate = signupDate }
        if let nextDelivery = snapshot.nextDelivery { self.nextDelivery = nextDelivery }
        if let subscribed = snapshot.subscribed { self.subscribed = subscribed }
    }

    /// Records an order's delivery week and status, keeping only weeks near `week`.
    package mutating func noteOrder(id: String, week: Int32, status: OrderStatus?, around current: Int32) {
        if let i = recentOrders.firstIndex(where: { $0.orderID == id }) {
            recentOrders[i].week = week
            recentOrders[i].status = status
        } else {
            recentOrders.append(WeekOrder(week: week, orderID: id, status: status))
        }
        recentOrders.removeAll { $0.week < current - 2 }
    }

    /// Seed 002's tag for the ISO week of `week`: `open order`, `closed order` or `no order`.
    package func weekTag(week: Int32) -> String {
        let orders = recentOrders.filter { $0.week == week }
        if orders.contains(where: { $0.status == .open || $0.status == nil }) { return "open order" }
        if orders.contains(where: { $0.status == .completed }) { return "closed order" }
        return "no order"
    }

    /// The profile properties Klaviyo should hold now (custom properties of the profile).
    package func profileProperties(week: Int32) -> JSONValue {
        var p = JSONObjectBuilder()
        p.add("Status", status?.rawValue)
        p.add("Schedule", schedule?.rawValue)
        p.add("Box", box)
        p.add("SignUpDate", signupDate)
        p.add("NextDelivery", nextDelivery)
        p.add("CancelDate", cancelDate)
        p.add("Order This Week", weekTag(week: week))
        p.add("Missed Signup", missedSignup)
        return p.object
    }
}

/// An order of a customer in a given delivery week.
package struct WeekOrder: Sendable, Hashable {
    /// Weeks since the ISO week of 1970-01-01 (Monday-based).
    package var week: Int32
    package var orderID: String
    package var status: OrderStatus?
}

/// Monday-based week numbers from dates, for the week's order tag.
package enum WeekNumber {
    /// The week (Monday to Sunday, in the writer's local time) that `timestamp` falls in.
    package static func of(_ timestamp: Timestamp) -> Int32 {
        let localDays = floorDiv(timestamp.unixSeconds + Int64(timestamp.offsetMinutes) * 60, 86_400)
        return week(ofDay: localDays)
    }

    /// The week of a `YYYY-MM-DD` date, or `nil` when it is not one.
    package static func of(date: String) -> Int32? {
        var text = date
        return text.withUTF8 { b -> Int32? in
            guard RFC3339.isCalendarDate(bytes: b) else { return nil }
            func number(_ start: Int, _ count: Int) -> Int {
                (start..<start + count).reduce(0) { $0 * 10 + Int(b[$1] - 0x30) }
            }
            return week(ofDay: CivilCalendar.daysFromCivil(year: number(0, 4), month: number(5, 2), day: number(8, 2)))
        }
    }

    private static func week(ofDay day: Int64) -> Int32 {
        // 1970-01-01 was a Thursday; shifting by 3 makes weeks start on Monday.
        Int32(truncatingIfNeeded: floorDiv(day + 3, 7))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }
}
