/// The customer's current data as the platform reported it with an entry.
package struct CustomerSnapshot: Sendable, Hashable {
    /// The platform's customer id; the Klaviyo `external_id`.
    package var id: String
    package var email: String?
    package var firstName: String?
    package var lastName: String?
    package var phone: String?
    package var address: PostalAddress?
    package var status: CustomerStatus?
    package var schedule: DeliverySchedule?
    /// The box the customer subscribes to; `nil` when they have none.
    package var box: String?
    /// A calendar date or an RFC 3339 date-time, kept as the platform wrote it.
    package var signupDate: String?
    /// A calendar date (`YYYY-MM-DD`).
    package var nextDelivery: String?
    /// A calendar date or an RFC 3339 date-time, kept as the platform wrote it.
    package var cancelDate: String?
    /// Email marketing consent.
    package var subscribed: Bool?
    /// The members the platform sent as `null`: cleared now, where an absent member means "not
    /// reported" and keeps the known value.
    package var cleared: Fields = []

    /// Creates a snapshot; every field but the id is optional because platforms report what they have.
    package init(
        id: String,
        email: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        phone: String? = nil,
        address: PostalAddress? = nil,
        status: CustomerStatus? = nil,
        schedule: DeliverySchedule? = nil,
        box: String? = nil,
        signupDate: String? = nil,
        nextDelivery: String? = nil,
        cancelDate: String? = nil,
        subscribed: Bool? = nil,
        cleared: Fields = []
    ) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.address = address
        self.status = status
        self.schedule = schedule
        self.box = box
        self.signupDate = signupDate
        self.nextDelivery = nextDelivery
        self.cancelDate = cancelDate
        self.subscribed = subscribed
        self.cleared = cleared
    }

    /// Snapshot members as bits, in the order of the compact form's presence mask.
    package struct Fields: OptionSet, Sendable, Hashable {
        package let rawValue: UInt16
        /// Creates a set from its bits.
        package init(rawValue: UInt16) { self.rawValue = rawValue }

        package static let email = Fields(rawValue: 1 << 0)
        package static let firstName = Fields(rawValue: 1 << 1)
        package static let lastName = Fields(rawValue: 1 << 2)
        package static let phone = Fields(rawValue: 1 << 3)
        package static let box = Fields(rawValue: 1 << 4)
        package static let signupDate = Fields(rawValue: 1 << 5)
        package static let nextDelivery = Fields(rawValue: 1 << 6)
        package static let cancelDate = Fields(rawValue: 1 << 7)
        package static let address = Fields(rawValue: 1 << 8)
        package static let status = Fields(rawValue: 1 << 9)
        package static let schedule = Fields(rawValue: 1 << 10)
        package static let subscribed = Fields(rawValue: 1 << 11)
        /// Every member's bit.
        package static let all = Fields(rawValue: 0xFFF)
    }
}

/// A postal address inside a customer snapshot.
package struct PostalAddress: Sendable, Hashable {
    package var line1: String?
    package var line2: String?
    package var city: String?
    package var region: String?
    package var zip: String?
    package var country: String?

    /// Creates an address; every part is optional.
    package init(
        line1: String? = nil,
        line2: String? = nil,
        city: String? = nil,
        region: String? = nil,
        zip: String? = nil,
        country: String? = nil
    ) {
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.region = region
        self.zip = zip
        self.country = country
    }
}
