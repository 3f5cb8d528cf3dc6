/// A validated profile resource from a request body: the identifiers it is matched by and the
/// attribute changes it carries, each field kept/cleared/set as sent.
package struct ProfilePatch: Sendable, Hashable {
    /// The Klaviyo profile id, when the request names one.
    package var id: String?
    /// `email`.
    package var email: FieldUpdate<String> = .keep
    /// `phone_number` (E.164).
    package var phoneNumber: FieldUpdate<String> = .keep
    /// `external_id`.
    package var externalID: FieldUpdate<String> = .keep
    /// Plain string attributes other than identifiers, by their JSON name (`first_name`, `last_name`,
    /// `organization`, `locale`, `title`, `image`).
    package var strings: [String: FieldUpdate<String>] = [:]
    /// `location`, merged key by key.
    package var location: ObjectUpdate = .keep
    /// `properties`, merged key by key.
    package var properties: ObjectUpdate = .keep
    /// Where the resource sits in the body (the `data` object), for errors found against stored state.
    package var pointer: JSONPointer = .root

    /// Creates an empty patch.
    package init() {}

    /// Whether the patch can find or create a profile: it names an id or sets an identifier.
    package var hasIdentifier: Bool {
        id != nil || email.value != nil || phoneNumber.value != nil || externalID.value != nil
    }

    /// The string attributes a profile keeps besides its identifiers.
    package static let stringAttributes = ["first_name", "last_name", "organization", "locale", "title", "image"]
}
