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
    /// Billing succeeded (contract v1.1); the order is fulfilled as `Completed` is.
    case paid = "Paid"
}

/// What an order line is: the subscription box, a weekly menu pick, or an add-on.
package enum ItemKind: String, Sendable, Hashable, CaseIterable {
    case menu
    case sub
    case addon
}

// Codes in the compact entry form: the position in `allCases`. New cases go at the end so stored
// codes keep their meaning. Spelled out (no `allCases.firstIndex`) because encoding runs per entry.

extension CustomerStatus {
    /// The status's code in the compact entry form.
    package var code: UInt8 {
        switch self {
        case .prospect: 0
        case .active: 1
        case .onHold: 2
        case .stopped: 3
        case .dead: 4
        }
    }
}

extension DeliverySchedule {
    /// The schedule's code in the compact entry form.
    package var code: UInt8 {
        switch self {
        case .weekly: 0
        case .biweekly: 1
        case .monthly: 2
        }
    }
}

extension OrderStatus {
    /// The status's code in the compact entry form.
    package var code: UInt8 {
        switch self {
        case .open: 0
        case .cancelled: 1
        case .completed: 2
        case .refunded: 3
        case .paid: 4
        }
    }
}

extension ItemKind {
    /// The kind's code in the compact entry form.
    package var code: UInt8 {
        switch self {
        case .menu: 0
        case .sub: 1
        case .addon: 2
        }
    }
}
