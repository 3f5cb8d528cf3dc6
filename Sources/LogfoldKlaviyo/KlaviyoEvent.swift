package import LogfoldDomain

/// The profile part of a Klaviyo call: identifiers, names, location and custom properties.
///
/// Events carry identifiers only (``identifiersOnly``): an event also updates the profile it names,
/// so an old event sent with old attributes could overwrite newer ones. Current attributes travel in
/// profile upserts.
package struct KlaviyoProfile: Sendable, Hashable {
    /// The platform customer id (`external_id`): the identifier every message of a customer carries.
    package var externalID: String
    /// `email`.
    package var email: String?
    /// `phone_number`, already in E.164 form (``PhoneNumber/e164(_:defaultCountryCode:)``).
    package var phoneNumber: String?
    /// `first_name`.
    package var firstName: String?
    /// `last_name`.
    package var lastName: String?
    /// `location`: address1, address2, city, region, zip, country.
    package var location: PostalAddress?
    /// Custom properties (`properties`), an ordered JSON object; `nil` sends none.
    package var properties: JSONValue?
    /// Custom properties to remove from the profile (`meta.patch_properties.unset`), in order.
    package var unsetProperties: [String] = []
    /// Names and phone to clear (sent as `null`, which Klaviyo's profile import clears).
    package var cleared: IdentityFields = []

    /// Creates a profile.
    package init(
        externalID: String, email: String? = nil, phoneNumber: String? = nil, firstName: String? = nil,
        lastName: String? = nil, location: PostalAddress? = nil, properties: JSONValue? = nil,
        unsetProperties: [String] = [], cleared: IdentityFields = []
    ) {
        self.externalID = externalID
        self.email = email
        self.phoneNumber = phoneNumber
        self.firstName = firstName
        self.lastName = lastName
        self.location = location
        self.properties = properties
        self.unsetProperties = unsetProperties
        self.cleared = cleared
    }

    /// This upsert sent after `earlier` (coalesced into one call): what `earlier` cleared stays
    /// cleared unless this one sets it again, so coalescing never loses a removal.
    package func coalesced(after earlier: KlaviyoProfile) -> KlaviyoProfile {
        var merged = self
        var setKeys = Set<String>()
        if case .object(let members)? = properties { setKeys = Set(members.map(\.key)) }
        for key in earlier.unsetProperties where !setKeys.contains(key) && !merged.unsetProperties.contains(key) {
            merged.unsetProperties.append(key)
        }
        if earlier.cleared.contains(.firstName), firstName == nil { merged.cleared.insert(.firstName) }
        if earlier.cleared.contains(.lastName), lastName == nil { merged.cleared.insert(.lastName) }
        if earlier.cleared.contains(.phone), phoneNumber == nil { merged.cleared.insert(.phone) }
        return merged
    }

    /// The same profile with only `external_id` and `email`: what events and list and suppression
    /// calls carry, the same for every message of the customer (Klaviyo's dedupe key includes it).
    package var identifiersOnly: KlaviyoProfile {
        KlaviyoProfile(externalID: externalID, email: email)
    }
}

/// One event for Create Event or Bulk Create Events.
package struct KlaviyoEvent: Sendable, Hashable {
    /// The metric name.
    package var metric: String
    /// Klaviyo's top-level `unique_id`, never omitted: without it Klaviyo keeps one event per profile,
    /// metric and second.
    package var uniqueID: String
    /// When it happened, unix seconds (sent as ISO 8601 UTC, to the second).
    package var time: Int64
    /// The value as exact decimal text (`47.95`), sent as a JSON number.
    package var value: String?
    /// ISO 4217 code of ``value``.
    package var valueCurrency: String?
    /// Event properties, an ordered JSON object.
    ///
    /// For an event read from the outbox this decodes the body's properties on every call (and so do
    /// `==` and `hash(into:)`); request bodies write them with ``writeProperties(into:)`` instead.
    package var properties: JSONValue {
        get {
            switch storedProperties {
            case .value(let value): value
            case .encoded(let encoded): encoded.value
            }
        }
        set { storedProperties = .value(newValue) }
    }
    /// The properties as built, or as the outbox body holds them (rendered without a tree).
    private var storedProperties: StoredProperties
    /// Store without triggering flows: history must never email a customer.
    package var backfill: Bool
    /// The profile, identifiers only: setting one keeps its `external_id` and `email`.
    package var profile: KlaviyoProfile {
        get { KlaviyoProfile(externalID: profileExternalID, email: profileEmail) }
        set {
            profileExternalID = newValue.externalID
            profileEmail = newValue.email
        }
    }
    /// The profile's `external_id`.
    ///
    /// The two identifiers are kept, not a ``KlaviyoProfile``: an event is copied several times on its
    /// way to a request, and a whole profile (names, phone, location, properties) made each copy four
    /// times the size and retain every optional field.
    package var profileExternalID: String
    /// The profile's `email`.
    package var profileEmail: String?

    /// Creates an event.
    package init(
        metric: String, uniqueID: String, time: Int64, value: String? = nil, valueCurrency: String? = nil,
        properties: JSONValue = .object([]), backfill: Bool, profile: KlaviyoProfile
    ) {
        self.metric = metric
        self.uniqueID = uniqueID
        self.time = time
        self.value = value
        self.valueCurrency = valueCurrency
        self.storedProperties = .value(properties)
        self.backfill = backfill
        self.profileExternalID = profile.externalID
        self.profileEmail = profile.email
    }

    /// Creates an event whose properties are an outbox body's, written as JSON without a tree.
    package init(
        metric: String, uniqueID: String, time: Int64, value: String? = nil, valueCurrency: String? = nil,
        encodedProperties: EncodedProperties, backfill: Bool, profile: KlaviyoProfile
    ) {
        self.init(
            metric: metric, uniqueID: uniqueID, time: time, value: value, valueCurrency: valueCurrency,
            encodedProperties: encodedProperties, backfill: backfill, externalID: profile.externalID,
            email: profile.email)
    }

    /// Creates an event whose properties are an outbox body's, for the profile with these identifiers
    /// (the sender's path: no ``KlaviyoProfile`` built per event).
    package init(
        metric: String, uniqueID: String, time: Int64, value: String? = nil, valueCurrency: String? = nil,
        encodedProperties: EncodedProperties, backfill: Bool, externalID: String, email: String?
    ) {
        self.metric = metric
        self.uniqueID = uniqueID
        self.time = time
        self.value = value
        self.valueCurrency = valueCurrency
        self.storedProperties = .encoded(encodedProperties)
        self.backfill = backfill
        self.profileExternalID = externalID
        self.profileEmail = email
    }

    /// How many properties there are (0 when they are not an object).
    package var propertyCount: Int {
        switch storedProperties {
        case .value(.object(let members)): members.count
        case .value: 0
        case .encoded(let encoded): encoded.memberCount
        }
    }

    /// About how many bytes ``writeProperties(into:)`` writes: exact for properties from the outbox.
    package var propertiesSizeEstimate: Int {
        switch storedProperties {
        case .value: 256
        case .encoded(let encoded): encoded.jsonCount
        }
    }

    /// Writes the properties as JSON text, the same bytes whichever way they are stored.
    package func writeProperties(into out: inout [UInt8]) {
        switch storedProperties {
        case .value(let value): value.write(into: &out)
        case .encoded(let encoded): encoded.appendJSON(to: &out)
        }
    }

    /// Two events are equal when their fields and properties are, however the properties are stored.
    package static func == (lhs: KlaviyoEvent, rhs: KlaviyoEvent) -> Bool {
        lhs.metric == rhs.metric && lhs.uniqueID == rhs.uniqueID && lhs.time == rhs.time && lhs.value == rhs.value
            && lhs.valueCurrency == rhs.valueCurrency && lhs.backfill == rhs.backfill && lhs.profile == rhs.profile
            && lhs.properties == rhs.properties
    }

    /// Hashes what ``==`` compares.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(metric)
        hasher.combine(uniqueID)
        hasher.combine(time)
        hasher.combine(value)
        hasher.combine(valueCurrency)
        hasher.combine(backfill)
        hasher.combine(profile)
        hasher.combine(properties)
    }

    private enum StoredProperties: Sendable {
        case value(JSONValue)
        case encoded(EncodedProperties)
    }

    /// Why Klaviyo would refuse this event, checked before spending a request on it; `nil` when fine.
    ///
    /// `now` is unix seconds: Klaviyo takes times after 2000 and at most a year ahead.
    package func problem(now: Int64) -> String? {
        if metric.isEmpty { return "the metric name is empty" }
        if uniqueID.isEmpty { return "the unique_id is empty" }
        if uniqueID.utf8.count > 255 { return "the unique_id is longer than 255 bytes" }
        if time < 946_684_800 { return "time \(Timestamp(unixSeconds: time).utcSecondsString) is before 2000" }
        if time > now + 365 * 86_400 {
            return "time \(Timestamp(unixSeconds: time).utcSecondsString) is more than a year ahead"
        }
        if propertyCount > 400 { return "\(propertyCount) properties; Klaviyo takes at most 400" }
        return nil
    }
}
