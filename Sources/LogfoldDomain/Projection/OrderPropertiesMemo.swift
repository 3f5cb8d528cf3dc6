/// Each order's Placed Order properties, kept for its later milestones while its snapshot stays the same.
///
/// Fulfilled, Shipped, Delivered, Cancelled and Refunded Order carry the same properties as Placed Order
/// (items, categories, brands, discount) unless the order changed: encoding them again for each milestone
/// was 7% of the folding thread's work. What is kept is exactly what ``OrderState/orderProperties(reason:)``
/// writes without a reason, checked against what it was written from, so the fold's output does not depend
/// on it. The projection forgets an order's entry with the order, and the memo starts afresh past
/// ``limit`` orders, so it stays under about 10 MB where orders are never forgotten (a destination's
/// catch-up).
struct OrderPropertiesMemo: Sendable {
    /// The most orders kept: a projector keeps up to 50,000 orders in memory, most of them past their
    /// last milestone; the recent ones are those a milestone reaches.
    static let limit = 16_384

    /// What ``OrderState/writeOrderProperties(reason:into:)`` reads of a snapshot, besides the order's id:
    /// the rest (status, total, dates) changes with the milestones and leaves the properties as they were.
    private struct Inputs: Equatable, Sendable {
        var items: [LineItem]
        var discountCode: String?
        var discountValue: Money?
        var deliveryDate: String?

        init(_ snapshot: OrderSnapshot) {
            items = snapshot.items
            discountCode = snapshot.discountCode
            discountValue = snapshot.discountValue
            deliveryDate = snapshot.deliveryDate
        }
    }

    private var byOrder: [String: (inputs: Inputs, properties: MessageProperties)] = [:]

    /// `order`'s properties without a reason: the kept ones when its snapshot holds what they were written
    /// from, otherwise written now and kept.
    mutating func properties(of order: OrderState) -> MessageProperties {
        guard let snapshot = order.snapshot else { return order.orderProperties() }
        let inputs = Inputs(snapshot)
        if let kept = byOrder[order.id], kept.inputs == inputs { return kept.properties }
        let properties = order.orderProperties()
        if byOrder.count >= Self.limit, byOrder[order.id] == nil { byOrder.removeAll(keepingCapacity: true) }
        byOrder[order.id] = (inputs, properties)
        return properties
    }

    /// How many orders have properties kept.
    var count: Int { byOrder.count }

    /// Drops what is kept for `ids`, orders that left memory.
    mutating func forget(_ ids: [String]) {
        for id in ids { byOrder[id] = nil }
        byOrder.releaseSpareCapacity(above: 4 * byOrder.count + 64, keepingRoomFor: 2 * byOrder.count)
    }
}
