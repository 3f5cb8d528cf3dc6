/// One event from a Create Event or Bulk Create Events body, checked and normalised.
package struct ValidatedEvent: Sendable, Hashable {
    /// The metric's name.
    package var metric: String
    /// The event's properties object, as sent.
    package var properties: [SandboxJSON.Member]
    /// `time` in Unix seconds (truncated), when sent.
    package var time: Int64?
    /// `value`'s literal number text, when sent.
    package var value: String?
    /// `value_currency`, when sent.
    package var valueCurrency: String?
    /// `unique_id`, when sent.
    package var uniqueID: String?
    /// Whether the event is stored without firing flows.
    package var backfill: Bool
    /// The event's `attributes` object in the body, so store-side errors (duplicates) can point at it.
    package var pointer: JSONPointer
}

/// The events of one request grouped by the profile they belong to (Create Event: one group of one).
package struct EventBatch: Sendable, Hashable {
    /// One profile and its events.
    package struct Group: Sendable, Hashable {
        /// The profile the events belong to.
        package var profile: ProfilePatch
        /// The events, in body order.
        package var events: [ValidatedEvent]
    }

    /// The groups in body order.
    package var groups: [Group]

    /// How many events the batch holds.
    package var eventCount: Int { groups.reduce(0) { $0 + $1.events.count } }
}
