/// Identifiers Klaviyo finds a profile by, which two platform customers can share (a household's email,
/// a re-registration, a family phone).
///
/// Klaviyo holds each email and each phone number on one profile only. The fold settles who keeps a
/// shared one, deterministically, from the journal's order: the first customer who had it keeps it;
/// another customer who has it is sent by `external_id` alone, without it, until its owner lets it go.
package struct SharedIdentifiers: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    /// Creates a set from its bits.
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package static let email = SharedIdentifiers(rawValue: 1 << 0)
    package static let phone = SharedIdentifiers(rawValue: 1 << 1)

    /// `email`, `phone` or `email,phone`, as the store's column and `logfold customer` show it.
    package var names: String? {
        guard !isEmpty else { return nil }
        let names = [contains(.email) ? "email" : nil, contains(.phone) ? "phone" : nil].compactMap { $0 }
        return names.isEmpty ? nil : names.joined(separator: ",")
    }
}

/// The keys the fold owns identifiers by: the same for every spelling Klaviyo takes as one.
package enum IdentifierKey {
    /// `e:` and the email in lowercase (Klaviyo compares emails case-insensitively).
    package static func email(_ email: String) -> String? {
        let trimmed = email.trimmingSpaces
        return trimmed.isEmpty ? nil : "e:" + trimmed.lowercased()
    }

    /// `p:` and the number in E.164 (what the sender sends); `nil` for a number it would not send.
    package static func phone(_ phone: String) -> String? {
        PhoneNumber.e164(phone).map { "p:" + $0 }
    }
}

extension String {
    /// Without leading and trailing spaces (without Foundation).
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}

extension CustomerState {
    /// The identity Klaviyo gets: without the email or phone another customer owns.
    package var sentIdentity: ProfileIdentity {
        guard !shared.isEmpty else { return identity }
        var sent = identity
        if shared.contains(.email) { sent.email = nil }
        if shared.contains(.phone) { sent.phone = nil }
        return sent
    }

    /// The email Klaviyo gets (``sentIdentity``'s), read without copying the identity's other fields.
    package var sentEmail: String? { shared.contains(.email) ? nil : identity.email }

    /// ``sentIdentity``'s ``ProfileIdentity/identifiers``, built without copying names, phone and address:
    /// every event carries them, and the copy was a tenth of the fold's reference counting.
    package var sentIdentifiers: ProfileIdentity { ProfileIdentity(externalID: identity.externalID, email: sentEmail) }
}
