/// A customer's account status on the platform (contract v1 spellings).
package enum CustomerStatus: String, Sendable, Hashable, CaseIterable {
    case prospect = "Prospect"
    case active = "Active"
    case onHold = "On Hold"
    case stopped = "Stopped"
    case dead = "Dead"
}

/// How often a customer receives a box.
package enum DeliverySchedule: String, Sendable, Hashable, CaseIterable {
    case weekly = "Weekly"
    case biweekly = "Biweekly"
    case monthly = "Monthly"
}

/// An order's status on the platform.
package enum OrderStatus: String, Sendable, Hashable, CaseIterable {
    case open = "Open"
    case cancelled = "Cancelled"
    case completed = "Completed"
    case refunded = "Refunded"
}

/// What an order line is: the subscription box, a weekly menu pick, or an add-on.
package enum ItemKind: String, Sendable, Hashable, CaseIterable {
    case menu
    case sub
    case addon
}
