/// One order: a delivery's lines, money and status.
struct OrderRecord {
    /// The contract's order statuses.
    enum Status: UInt8 { case open, cancelled, completed, refunded }

    /// One order line; the same product may appear on two lines with distinct line ids.
    struct Line {
        var lineID: Int
        var product: Int
        var quantity: Int
    }

    var number: Int
    var customer: Int
    var status: Status
    /// The RFC 3339 creation time, rendered once.
    var createdAt: [UInt8]
    var deliveryDay: Int
    var lines: [Line]
    /// Index into `Phrases.discountCodes`, or -1.
    var discountCode: Int
    var discountCents: Int
    /// The customer's epoch when the order was created.
    var epoch: UInt32
    var carrier: Int = 0
    var tracking: [UInt8] = []
    var refundedCents = 0

    /// The sum of the line totals, in cents.
    var subtotalCents: Int {
        var sum = 0
        for line in lines { sum += Catalog.shared.products[line.product].cents * line.quantity }
        return sum
    }

    /// What the customer pays: subtotal less the discount, never negative.
    var totalCents: Int { max(0, subtotalCents - discountCents) }
}
