/// A stored profile: identifiers, attributes, consent and suppression.
package struct ProfileRecord: Sendable, Hashable {
    /// The Klaviyo-style profile id (26 characters).
    package var id: String
    /// `email`.
    package var email: String?
    /// `phone_number`.
    package var phoneNumber: String?
    /// `external_id`.
    package var externalID: String?
    /// `first_name`, `last_name`, `organization`, `locale`, `title`, `image`, when set.
    package var strings: [String: String] = [:]
    /// `location` members.
    package var location: [SandboxJSON.Member] = []
    /// Custom `properties`.
    package var properties: [SandboxJSON.Member] = []
    /// Why email marketing is suppressed (`USER_SUPPRESSED`, `UNSUBSCRIBE`), or `nil`.
    package var suppressionReason: String?
    /// When the suppression began (Unix ms).
    package var suppressedAt: Int64?
    /// Email marketing consent: `NEVER_SUBSCRIBED`, `SUBSCRIBED`, `UNSUBSCRIBED`.
    package var emailConsent = "NEVER_SUBSCRIBED"
    /// SMS marketing consent.
    package var smsConsent = "NEVER_SUBSCRIBED"
    /// Creation time (Unix ms).
    package var created: Int64
    /// Last update (Unix ms).
    package var updated: Int64

    /// A new, empty profile.
    package init(id: String, now: Int64) {
        self.id = id
        self.created = now
        self.updated = now
    }

    /// The identifiers a patch may set.
    package enum Identifier: Sendable, Hashable {
        /// `email`.
        case email
        /// `phone_number`.
        case phoneNumber
        /// `external_id`.
        case externalID
    }

    /// Whether this profile has `value` as its `identifier` (emails compared without case).
    package func holds(_ identifier: Identifier, _ value: String) -> Bool {
        switch identifier {
        case .externalID: externalID == value
        case .email: email?.lowercased() == value.lowercased()
        case .phoneNumber: phoneNumber == value
        }
    }

    /// Applies `patch` as Klaviyo does.
    ///
    /// Sent fields are set, `null` fields cleared, omitted ones kept, `location` and `properties` merged
    /// key by key. Identifiers in `skipping` are left alone (they belong to another profile, and an event
    /// must not move them).
    package mutating func apply(_ patch: ProfilePatch, skipping: Set<Identifier> = [], now: Int64) {
        if !skipping.contains(.email) { email = patch.email.applied(to: email) }
        if !skipping.contains(.phoneNumber) { phoneNumber = patch.phoneNumber.applied(to: phoneNumber) }
        if !skipping.contains(.externalID) { externalID = patch.externalID.applied(to: externalID) }
        for (name, update) in patch.strings {
            strings[name] = update.applied(to: strings[name])
        }
        location = patch.location.applied(to: location)
        properties = patch.properties.applied(to: properties)
        updated = now
    }

    /// The `attributes` of the profile as Klaviyo's API returns them.
    package func attributes() -> SandboxJSON {
        var members: [SandboxJSON.Member] = [
            .init("email", .string(email)),
            .init("phone_number", .string(phoneNumber)),
            .init("external_id", .string(externalID)),
        ]
        for name in ProfilePatch.stringAttributes {
            members.append(.init(name, .string(strings[name])))
        }
        members.append(.init("created", .string(Timestamp.format(unixSeconds: created / 1000))))
        members.append(.init("updated", .string(Timestamp.format(unixSeconds: updated / 1000))))
        members.append(.init("location", .object(location)))
        members.append(.init("properties", .object(properties)))
        var marketing: [SandboxJSON.Member] = [
            .init("can_receive_email_marketing", .bool(emailConsent == "SUBSCRIBED" && suppressionReason == nil)),
            .init("consent", .string(emailConsent)),
        ]
        var suppression: [SandboxJSON] = []
        if let suppressionReason {
            suppression.append(
                .object([
                    "reason": .string(suppressionReason),
                    "timestamp": .string(Timestamp.format(unixSeconds: (suppressedAt ?? updated) / 1000)),
                ]))
        }
        marketing.append(.init("suppression", .array(suppression)))
        members.append(
            .init(
                "subscriptions",
                .object([
                    "email": .object(["marketing": .object(marketing)]),
                    "sms": .object([
                        "marketing": .object([
                            "can_receive_sms_marketing": .bool(smsConsent == "SUBSCRIBED"),
                            "consent": .string(smsConsent),
                        ])
                    ]),
                ])))
        return .object(members)
    }
}
