/// What logfold last sent Klaviyo for a profile: its identifiers and names and its custom
/// properties, as typed fields.
///
/// The fold compares this with what the profile should hold now on every entry of the customer, so
/// it is a plain struct: comparing two costs no allocation, where comparing JSON trees cost a tree
/// per entry. Version 2 state blobs store only what differs from what the customer's own state gives
/// (``ProjectionCodec``); version 1 blobs, still read, stored a JSON object (``init(json:)``).
package struct SentProfile: Sendable, Hashable {
    package var externalID: String
    package var email: String?
    package var firstName: String?
    package var lastName: String?
    package var phone: String?
    package var status: CustomerStatus?
    package var schedule: DeliverySchedule?
    package var box: String?
    package var signupDate: String?
    package var nextDelivery: String?
    package var cancelDate: String?
    /// Seed 002's order tag for the week of the entry that sent it.
    package var weekTag: String
    package var missedSignup: Bool

    /// The profile as `customer` should have it for the entry's `week`.
    package init(_ customer: borrowing CustomerState, week: Int32) {
        self.init(customer, weekTag: customer.weekTag(week: week))
    }

    /// The profile as `customer` should have it, with the week's order tag given.
    ///
    /// `customer` is borrowed: an initialiser takes its arguments owned otherwise, and the caller copied the
    /// whole state (every string and array retained, then released) for each profile compared.
    package init(_ customer: borrowing CustomerState, weekTag: String) {
        let identity = customer.sentIdentity
        externalID = identity.externalID
        email = identity.email
        firstName = identity.firstName
        lastName = identity.lastName
        phone = identity.phone
        status = customer.status
        schedule = customer.schedule
        box = customer.box
        signupDate = customer.signupDate.map(KlaviyoDate.format)
        nextDelivery = customer.nextDelivery.map(KlaviyoDate.format)
        cancelDate = customer.cancelDate.map(KlaviyoDate.format)
        self.weekTag = weekTag
        missedSignup = customer.missedSignup
    }

    /// The custom properties, as the JSON object a profile upsert carries (absent values left out).
    package var properties: MessageProperties { properties(clearing: nil) }

    /// The custom properties, with `null` for each one `previous` sent that this profile no longer has:
    /// the sender removes those from Klaviyo's profile (profile import's `patch_properties.unset`).
    package func properties(clearing previous: SentProfile?) -> MessageProperties {
        var w = PropertiesWriter(capacity: 192)
        writeProperties(clearing: previous, into: &w)
        return w.finish()
    }

    /// ``properties(clearing:)``'s members, into either sink.
    package func writeProperties<Sink: PropertiesSink>(clearing previous: SentProfile?, into p: inout Sink) {
        func add(_ name: PropertyName, _ value: String?, _ old: String?) {
            if let value {
                p.add(name, value)
            } else if old != nil {
                p.addNull(name)
            }
        }
        add(.status, status?.rawValue, previous?.status?.rawValue)
        add(.schedule, schedule?.rawValue, previous?.schedule?.rawValue)
        add(.box, box, previous?.box)
        add(.signUpDate, signupDate, previous?.signupDate)
        add(.nextDelivery, nextDelivery, previous?.nextDelivery)
        add(.cancelDate, cancelDate, previous?.cancelDate)
        p.add(.orderThisWeek, weekTag)
        p.add(.missedSignup, missedSignup)
    }

    /// The names and phone `previous` sent that this profile no longer has (sent as `null`, which
    /// clears them in Klaviyo).
    package func clearedIdentity(since previous: SentProfile?) -> IdentityFields {
        guard let previous else { return [] }
        var cleared: IdentityFields = []
        if firstName == nil, previous.firstName != nil { cleared.insert(.firstName) }
        if lastName == nil, previous.lastName != nil { cleared.insert(.lastName) }
        if phone == nil, previous.phone != nil { cleared.insert(.phone) }
        return cleared
    }

    /// Reads a version 1 blob's stored form: the identity members (`null` when unknown) and `properties`
    /// as a JSON object; `nil` when `json` is not one (a damaged or foreign blob).
    package init?(json: JSONValue) {
        guard case .object(let members) = json, members.map(\.key) == Self.storedKeys,
            let externalID = json["external_id"]?.stringValue, case .object(let properties)? = json["properties"]
        else { return nil }
        func optional(_ key: String) -> String?? {
            switch json[key] {
            case .string(let s)?: return .some(s)
            case .null?: return .some(nil)
            default: return nil
            }
        }
        guard let email = optional("email"), let firstName = optional("first_name"),
            let lastName = optional("last_name"), let phone = optional("phone")
        else { return nil }
        self.externalID = externalID
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        var weekTag: String?
        var missedSignup: Bool?
        for member in properties {
            switch (member.key, member.value) {
            case ("Status", .string(let s)):
                guard let status = CustomerStatus(rawValue: s) else { return nil }
                self.status = status
            case ("Schedule", .string(let s)):
                guard let schedule = DeliverySchedule(rawValue: s) else { return nil }
                self.schedule = schedule
            case ("Box", .string(let s)): box = s
            case ("SignUpDate", .string(let s)): signupDate = s
            case ("NextDelivery", .string(let s)): nextDelivery = s
            case ("CancelDate", .string(let s)): cancelDate = s
            case ("Order This Week", .string(let s)): weekTag = s
            case ("Missed Signup", .bool(let b)): missedSignup = b
            default: return nil
            }
        }
        guard let weekTag, let missedSignup else { return nil }
        self.weekTag = weekTag
        self.missedSignup = missedSignup
    }

    private static let storedKeys = ["external_id", "email", "first_name", "last_name", "phone", "properties"]
}
