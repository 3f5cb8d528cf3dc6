/// Which Klaviyo metric each entry type becomes, and the names of the lists: configuration with
/// built-in defaults for every type of contract v1.
///
/// What a type *does* (place an order, suppress a profile, join a list) is fixed by the contract;
/// the mapping names the metrics, can switch a type's event off (`null`) or give an event to a type
/// that has none (a new activity, or an unknown type seen in the journal). A replay after a mapping
/// change re-derives history from the journal.
package struct EventMapping: Sendable, Hashable {
    /// Entry type → metric name; a type absent here sends no event.
    package internal(set) var metrics: [String: String]
    /// The Klaviyo list each logical list stands for.
    package internal(set) var listNames: [CustomerList: String]
    /// Metrics the storefront's script tracks itself (seed 000), which the server side leaves out.
    ///
    /// Klaviyo would otherwise count them twice. Started Checkout is sent all the same: both sides give it
    /// the same `unique_id`, and Klaviyo keeps one.
    package internal(set) var storefrontMetrics: Set<String> = []
    /// The store's week, for the week's order tag (seed 002).
    package internal(set) var calendar = WeekCalendar.default
    /// ActiveCampaign's tracked-event names (`activecampaign.events` in a mapping file), used when that
    /// destination is enabled.
    package internal(set) var activeCampaign = ActiveCampaignMapping()

    /// The metric of Ordered Product events (one per order line), keyed like a type.
    package static let orderedProductKey = "order.created/line"

    /// The built-in defaults (see Journal/entry-types.md and docs/event-mapping.md).
    package static let defaults = EventMapping(metrics: defaultMetrics, listNames: defaultListNames)

    /// Creates a mapping from explicit tables.
    package init(metrics: [String: String], listNames: [CustomerList: String]) {
        self.metrics = metrics
        self.listNames = listNames
    }

    /// The metric for `type`, or `nil` when the type sends no event.
    package func metric(for type: String) -> String? { metrics[type] }

    /// The metric the server side sends for `type`: ``metric(for:)`` unless the storefront tracks it.
    package func serverMetric(for type: String) -> String? {
        guard let metric = metrics[type] else { return nil }
        return storefrontMetrics.contains(metric) ? nil : metric
    }

    /// The Klaviyo list name for a logical list.
    package func name(of list: CustomerList) -> String { listNames[list] ?? list.rawValue }

    static let defaultMetrics: [String: String] = [
        "started.signup": "Started Checkout",
        "signup.completed": "Completed Signup",
        "cancelled": "Cancelled Account",
        "contact.form": "Submitted Contact Form",
        "failed.payment": "Failed Payment",
        "referral.credit": "Referral Credit",
        "shipping.email": "Shipping Email Sent",
        "order.created": "Placed Order",
        orderedProductKey: "Ordered Product",
        "order.cancelled": "Cancelled Order",
        "order.completed": "Fulfilled Order",
        "order.refunded": "Refunded Order",
        "order.chargeback": "Chargeback Order",
        "order.shipped": "Shipped Order",
        "order.delivered": "Delivered Order",
        "login": "Logged In",
        "login.cookie": "Logged In via Cookie",
        "login.magic_link": "Logged In via Magic Link",
        "login.magic_link_failed": "Failed Login via Expired Magic Link",
        "logout": "Logged Out",
        "box.changed": "Changed Box",
        "box_subscription.changed": "Changed Box Subscription",
        "schedule.changed": "Changed Schedule",
        "schedule.reset": "Reset Schedule",
        "order.skipped": "Skipped Order",
        "order.skip_considered": "Considered Skipping Order",
        "delivery.added": "Added Delivery to Schedule",
        "delivery.skipped": "Skipped Delivery on Schedule",
        "delivery_reminder.sent": "Delivery Today Reminder Email Sent",
        "substitution.made": "Made Substitution",
        "substitution.undone": "Undid Substitution",
        "addon.added": "Added Add-on to Order",
        "item.deleted": "Deleted Item from Order",
        "gift_certificate.used": "Used Gift Certificate",
        "discount_code.used": "Used Discount Code",
        "gift_box.purchased": "Purchased Gift Box",
        "gift_account.activated": "Activated Gift Account",
        "promo_account.activated": "Activated Promo Account",
        "promo_signup.completed": "Completed Promo Signup",
        "welcome_order.created": "Created Order from Welcome Page",
        "payment_info.updated": "Updated Payment Info",
        "address.updated": "Updated Address",
        "shipping_notes.updated": "Updated Shipping Notes",
        "birthday.added": "Added Birthday",
        "password.reset": "Reset Password",
        "friends.shared": "Shared with Friends",
        "recurring_product.added": "Added Recurring Product Setting",
        "recurring_product.updated": "Updated Recurring Product Setting",
        "recurring_product.removed": "Removed Recurring Product Setting",
    ]

    static let defaultListNames: [CustomerList: String] = [
        .allCustomers: "All Customers",
        .abandoned: "Abandoned",
        .declined: "Declined",
        .purchases: "Purchases",
    ]

    /// Types whose meaning is fixed by the contract but that send no event by default.
    package static let profileOnlyTypes: Set<String> = [
        "status.changed", "customer.updated", "email.unsubscribed", "email.subscribed",
    ]

    /// Every type contract v1 names, so "unknown" can be counted (computed once: it is consulted per entry).
    package static let knownTypes: Set<String> = Set(defaultMetrics.keys).subtracting([orderedProductKey])
        .union(profileOnlyTypes)
}

/// The logical lists of seeds 002 and 004.
package enum CustomerList: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Every customer (seed 002: "all customers are by default added to the 'all customers' list").
    case allCustomers = "all_customers"
    /// Started a checkout (signup) and did not finish it (seed 004's Abandoned / Prospects list).
    case abandoned
    /// A payment was declined (seed 004).
    case declined
    /// Has a successful (billed) order (seed 004).
    case purchases

    package static func < (lhs: CustomerList, rhs: CustomerList) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The list's bit in a membership set.
    var bit: UInt8 {
        switch self {
        case .allCustomers: 1
        case .abandoned: 2
        case .declined: 4
        case .purchases: 8
        }
    }
}
