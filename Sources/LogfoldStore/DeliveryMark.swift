/// A row's delivery result: delivered with an outcome, or dead with Klaviyo's error.
package struct DeliveryMark: Sendable, Hashable {
    /// The row.
    package var ordinal: UInt64
    /// `accepted`, `deduplicated`, `superseded` or `ledger` for delivered rows; `nil` for dead ones.
    package var outcome: String?
    /// The error text of a dead row.
    package var error: String?

    /// A delivered row.
    package static func delivered(_ ordinal: UInt64, _ outcome: String) -> DeliveryMark {
        DeliveryMark(ordinal: ordinal, outcome: outcome, error: nil)
    }

    /// A dead row.
    package static func dead(_ ordinal: UInt64, _ error: String) -> DeliveryMark {
        DeliveryMark(ordinal: ordinal, outcome: nil, error: error)
    }
}
