/// A string value located in the line (or, when it had escapes, in the workspace's scratch buffer).
///
/// The parser records where values are instead of building `String`s, so that ingest can write the
/// compact form straight from the line with no allocation per value.
package struct TextSlot: Sendable, Hashable {
    package var start: Int32
    package var end: Int32
    /// `true` when the decoded text lives in ``ParseWorkspace/scratch`` (the literal had escapes).
    package var inScratch: Bool

    static let empty = TextSlot(start: 0, end: 0, inScratch: false)

    var isEmpty: Bool { start == end }
}

/// Reusable buffers for parsing many lines on one thread.
package struct ParseWorkspace: Sendable {
    /// Decoded text of string literals that had escapes.
    package var scratch: [UInt8] = []
    /// Order and cart lines of the current entry.
    var items: [ItemSlots] = []
    /// Categories of the current entry's lines.
    var categories: [TextSlot] = []

    /// An empty workspace.
    package init() {}

    mutating func reset() {
        scratch.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
        categories.removeAll(keepingCapacity: true)
    }
}

/// Where each contract field of one entry is, after validation.
struct EntrySlots {
    var id: UInt64 = 0
    var at = Timestamp(unixSeconds: 0)
    var type = TextSlot.empty
    var customer: CustomerSlots?
    var order: OrderSlots?
    var cart: CartSlots?
    /// The `data` object (small and type-specific, so it is built as a tree).
    var data: JSONValue?
}

struct CustomerSlots {
    var id = TextSlot.empty
    var email, firstName, lastName, phone, box, signupDate, nextDelivery, cancelDate: TextSlot?
    var address: AddressSlots?
    var status: CustomerStatus?
    var schedule: DeliverySchedule?
    var subscribed: Bool?
    /// Members sent as `null`, as ``CustomerSnapshot/Fields`` bits.
    var cleared: UInt16 = 0
}

struct AddressSlots {
    var line1, line2, city, region, zip, country: TextSlot?
}

struct OrderSlots {
    var id = TextSlot.empty
    var customerID, deliveryDate, currency, discountCode: TextSlot?
    var status: OrderStatus?
    var createdAt: Timestamp?
    var total, discountValue: Money?
    /// Indices into ``ParseWorkspace/items``.
    var items: Range<Int> = 0..<0
}

struct CartSlots {
    var id = TextSlot.empty
    var total: Money?
    var checkoutURL: TextSlot?
    var items: Range<Int> = 0..<0
}

struct ItemSlots {
    var lineID, productID, sku, name, url, imageURL, brand: TextSlot?
    var quantity: Int64?
    var price, rowTotal: Money?
    var kind: ItemKind?
    /// Indices into ``ParseWorkspace/categories``.
    var categories: Range<Int> = 0..<0
}
