/// Every `type` the generator writes, in the order of the contract's list.
enum EntryType: Int, CaseIterable {
    // Core types (log-entry.md, seeds 000/001/004).
    case startedSignup, signupCompleted, cancelled, statusChanged, emailUnsubscribed, emailSubscribed
    case contactForm, failedPayment, referralCredit, shippingEmail, customerUpdated
    case orderCreated, orderCancelled, orderCompleted, orderRefunded, orderChargeback, orderShipped
    case orderDelivered
    // Customer activities (seed 002).
    case login, loginCookie, loginMagicLink, loginMagicLinkFailed, logout
    case boxChanged, boxSubscriptionChanged, scheduleChanged, scheduleReset
    case orderSkipped, orderSkipConsidered, deliveryAdded, deliverySkipped, deliveryReminderSent
    case substitutionMade, substitutionUndone, addonAdded, itemDeleted
    case giftCertificateUsed, discountCodeUsed, giftBoxPurchased, giftAccountActivated
    case promoAccountActivated, promoSignupCompleted, welcomeOrderCreated
    case paymentInfoUpdated, addressUpdated, shippingNotesUpdated, birthdayAdded, passwordReset
    case friendsShared, recurringProductAdded, recurringProductUpdated, recurringProductRemoved
    // Types outside the contract, written only with `includeUnknownTypes`.
    case loyaltyPointsAwarded, smsOptedIn

    /// Whether the contract (v1) lists this type.
    var isKnown: Bool { self != .loyaltyPointsAwarded && self != .smsOptedIn }

    /// The platform's spelling.
    var name: StaticString {
        switch self {
        case .startedSignup: "started.signup"
        case .signupCompleted: "signup.completed"
        case .cancelled: "cancelled"
        case .statusChanged: "status.changed"
        case .emailUnsubscribed: "email.unsubscribed"
        case .emailSubscribed: "email.subscribed"
        case .contactForm: "contact.form"
        case .failedPayment: "failed.payment"
        case .referralCredit: "referral.credit"
        case .shippingEmail: "shipping.email"
        case .customerUpdated: "customer.updated"
        case .orderCreated: "order.created"
        case .orderCancelled: "order.cancelled"
        case .orderCompleted: "order.completed"
        case .orderRefunded: "order.refunded"
        case .orderChargeback: "order.chargeback"
        case .orderShipped: "order.shipped"
        case .orderDelivered: "order.delivered"
        case .login: "login"
        case .loginCookie: "login.cookie"
        case .loginMagicLink: "login.magic_link"
        case .loginMagicLinkFailed: "login.magic_link_failed"
        case .logout: "logout"
        case .boxChanged: "box.changed"
        case .boxSubscriptionChanged: "box_subscription.changed"
        case .scheduleChanged: "schedule.changed"
        case .scheduleReset: "schedule.reset"
        case .orderSkipped: "order.skipped"
        case .orderSkipConsidered: "order.skip_considered"
        case .deliveryAdded: "delivery.added"
        case .deliverySkipped: "delivery.skipped"
        case .deliveryReminderSent: "delivery_reminder.sent"
        case .substitutionMade: "substitution.made"
        case .substitutionUndone: "substitution.undone"
        case .addonAdded: "addon.added"
        case .itemDeleted: "item.deleted"
        case .giftCertificateUsed: "gift_certificate.used"
        case .discountCodeUsed: "discount_code.used"
        case .giftBoxPurchased: "gift_box.purchased"
        case .giftAccountActivated: "gift_account.activated"
        case .promoAccountActivated: "promo_account.activated"
        case .promoSignupCompleted: "promo_signup.completed"
        case .welcomeOrderCreated: "welcome_order.created"
        case .paymentInfoUpdated: "payment_info.updated"
        case .addressUpdated: "address.updated"
        case .shippingNotesUpdated: "shipping_notes.updated"
        case .birthdayAdded: "birthday.added"
        case .passwordReset: "password.reset"
        case .friendsShared: "friends.shared"
        case .recurringProductAdded: "recurring_product.added"
        case .recurringProductUpdated: "recurring_product.updated"
        case .recurringProductRemoved: "recurring_product.removed"
        case .loyaltyPointsAwarded: "loyalty.points_awarded"
        case .smsOptedIn: "sms.opted_in"
        }
    }
}
