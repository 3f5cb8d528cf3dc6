/// Tracked-event names as ActiveCampaign takes them: at most 32 characters (`event` on trackcmp.net).
///
/// Seed 002's names that are longer get the short forms in ``shortForms`` (docs/activecampaign-mapping.md
/// lists them); any other long name, from a mapping file, is cut at the last word boundary that fits. The
/// rule is a pure function of the name, so a replay names every event the same.
package enum ActiveCampaignEventName {
    /// ActiveCampaign's limit, in characters.
    package static let maximumLength = 32

    /// Seed 002's names over the limit and what logfold sends instead, in the seed's order.
    package static let shortForms: [(name: String, short: String)] = [
        ("Delivery Today Reminder Email Sent", "Delivery Today Reminder Sent"),
        ("Login via expired magic link failed", "Expired magic link login failed"),
        ("Customer created order from welcome page", "Created order on welcome page"),
        ("Customer thinking of skipping order", "Thinking of skipping order"),
        ("Gift purchaser account activation", "Gift purchaser activation"),
        ("Removed recurring product setting", "Removed recurring product"),
        ("Updated recurring product setting", "Updated recurring product"),
    ]

    /// The name to send for `name`.
    package static func shortened(_ name: String) -> String {
        guard name.count > maximumLength else { return name }
        if let known = shortForms.first(where: { $0.name == name }) { return known.short }
        let prefix = name.prefix(maximumLength)
        // Cut before the word the limit falls in, unless that leaves nothing.
        if name.dropFirst(maximumLength).first != " ", let space = prefix.lastIndex(of: " "),
            space > prefix.startIndex
        {
            return String(prefix[..<space])
        }
        return String(prefix).trimmingTrailingSpaces
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
