/// One platform customer as the store keeps it: the columns operators query, plus the full state blob.
///
/// The projector owns the meaning: it encodes its `CustomerState` into ``state`` and copies the fields
/// people ask about (status, list memberships, missed signup…) into plain columns so they can be read
/// with SQL. The store treats every value as opaque and writes the row whole on each commit.
package struct CustomerRow: Sendable, Hashable {
    /// The platform's customer id, the primary key (`customers.id`).
    package var id: String
    /// The customer's email address, when known (`email`).
    package var email: String?
    /// The first name from the latest snapshot (`first_name`).
    package var firstName: String?
    /// The last name from the latest snapshot (`last_name`).
    package var lastName: String?
    /// The platform status, for example `Active` or `Dead` (`status`).
    package var status: String?
    /// The delivery schedule (`schedule`).
    package var schedule: String?
    /// The box the customer receives (`box`).
    package var box: String?
    /// The signup date as the profile property shows it (`signup_date`).
    package var signupDate: String?
    /// The next delivery date (`next_delivery`).
    package var nextDelivery: String?
    /// The cancellation date (`cancel_date`).
    package var cancelDate: String?
    /// The week's order tag: open order, closed order or no order (`week_tag`).
    package var weekTag: String?
    /// Whether the customer is subscribed to email, `nil` when never stated (`subscribed`).
    package var subscribed: Bool?
    /// Whether the profile is suppressed in Klaviyo (`suppressed`).
    package var suppressed: Bool
    /// Whether the customer started a signup or checkout and never completed it (`missed_signup`).
    package var missedSignup: Bool
    /// The lists the customer is on: sorted names joined by commas, `""` when none (`lists`).
    package var lists: String
    /// The journal seq of the last entry that changed the customer (`last_seq`).
    package var lastSeq: UInt64
    /// The domain's encoded customer state, what the projector reloads on a warm start (`state`).
    package var state: [UInt8]
    /// The latest delivery week of the customer's recent orders (`order_week`, weeks since 1970 as the
    /// projection counts them): a warm start reloads the customers whose week tag can still change.
    package var orderWeek: Int32?
    /// The identifiers another customer owns, which Klaviyo gets the profile without (`shared_identifiers`:
    /// `email`, `phone` or `email,phone`).
    package var sharedIdentifiers: String?

    /// Creates a row; every optional column defaults to `nil`, the flags to `false`, lists to none.
    package init(
        id: String,
        email: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        status: String? = nil,
        schedule: String? = nil,
        box: String? = nil,
        signupDate: String? = nil,
        nextDelivery: String? = nil,
        cancelDate: String? = nil,
        weekTag: String? = nil,
        subscribed: Bool? = nil,
        suppressed: Bool = false,
        missedSignup: Bool = false,
        lists: String = "",
        lastSeq: UInt64,
        state: [UInt8],
        orderWeek: Int32? = nil,
        sharedIdentifiers: String? = nil
    ) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.status = status
        self.schedule = schedule
        self.box = box
        self.signupDate = signupDate
        self.nextDelivery = nextDelivery
        self.cancelDate = cancelDate
        self.weekTag = weekTag
        self.subscribed = subscribed
        self.suppressed = suppressed
        self.missedSignup = missedSignup
        self.lists = lists
        self.lastSeq = lastSeq
        self.state = state
        self.orderWeek = orderWeek
        self.sharedIdentifiers = sharedIdentifiers
    }
}
