/// What the fold's decisions become in ActiveCampaign (docs/activecampaign-mapping.md): seed 002's event
/// names, and the rules that turn a folded entry into contact, list, tag, event and order messages.
package struct ActiveCampaignMapping: Sendable, Hashable {
    /// Seed 002's tracked events by entry type, named as the seed names them.
    ///
    /// Order milestones are not here: Cancelled Order and Order Completed follow the order's state
    /// (``milestoneEventNames``), however the platform reported it.
    package static let defaultEventNames: [String: String] = [
        "delivery_reminder.sent": "Delivery Today Reminder Email Sent",
        "signup.completed": "New Customer Signup",
        "login.magic_link_failed": "Login via expired magic link failed",
        "login": "Logged in",
        "login.cookie": "Logged in via cookie",
        "login.magic_link": "Logged in via magic link",
        "logout": "Logged out",
        "substitution.made": "Made a substitution",
        "substitution.undone": "Made an un-substition",
        "addon.added": "Added add-on to order",
        "item.deleted": "Deleted item from order",
        "promo_signup.completed": "New Promo Customer Signup",
        "welcome_order.created": "Customer created order from welcome page",
        "box.changed": "Customer changed box",
        "order.skipped": "Order skipped",
        "cancelled": "Customer cancelled",
        "order.skip_considered": "Customer thinking of skipping order",
        "gift_certificate.used": "Gift certificate used",
        "discount_code.used": "Discount code used",
        "contact.form": "Submitted Contact Form",
        "gift_account.activated": "Gift purchaser account activation",
        "promo_account.activated": "Promo account activation",
        "payment_info.updated": "Updated Payment Info",
        "email.subscribed": "Re-subscribed to emails",
        "email.unsubscribed": "Unsubscribed email",
        "shipping_notes.updated": "Updated Shipping Notes",
        "delivery.added": "Added Delivery to Schedule",
        "friends.shared": "Shared with Friends",
        "delivery.skipped": "Skipped Delivery on Schedule",
        "address.updated": "Updated Address",
        "password.reset": "Reset Password",
        "birthday.added": "Added Birthday",
        "schedule.changed": "Changed Schedule",
        "recurring_product.removed": "Removed recurring product setting",
        "recurring_product.updated": "Updated recurring product setting",
        "recurring_product.added": "Added recurring product setting",
        "box_subscription.changed": "Changed Box Subscription",
        "gift_box.purchased": "Gift Box Purchase",
        "schedule.reset": "Reset Schedule",
    ]

    /// The events of order milestones: sent when the order reaches them, once.
    package static let milestoneEventNames: [OrderState.Milestone: String] = [
        .cancelled: "Cancelled Order",
        .fulfilled: "Order Completed",
    ]

    /// The tracked events by entry type.
    package var eventNames: [String: String]

    /// The mapping with seed 002's names, or others.
    package init(eventNames: [String: String] = Self.defaultEventNames) {
        self.eventNames = eventNames
    }
}

/// What ActiveCampaign was last told about one customer, so only changes are sent.
package struct ActiveCampaignSent: Sendable, Hashable {
    /// The contact last synced.
    package var contact: ActiveCampaignContact?
    /// The list status last set.
    package var subscribed: Bool?
    /// The week's tag last added.
    package var tag: String?

    /// Nothing sent yet.
    package init(contact: ActiveCampaignContact? = nil, subscribed: Bool? = nil, tag: String? = nil) {
        self.contact = contact
        self.subscribed = subscribed
        self.tag = tag
    }
}
