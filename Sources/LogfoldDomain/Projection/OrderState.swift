/// What logfold knows about one order and which of its events were sent.
package struct OrderState: Sendable, Hashable {
    /// Order events that happen at most once per order.
    package enum Milestone: UInt8, Sendable, CaseIterable {
        case placed = 1
        case cancelled = 2
        case fulfilled = 4
        case refunded = 8
        case chargeback = 16
        case shipped = 32
        case delivered = 64

        /// The entry type that causes it.
        package var entryType: String {
            switch self {
            case .placed: "order.created"
            case .cancelled: "order.cancelled"
            case .fulfilled: "order.completed"
            case .refunded: "order.refunded"
            case .chargeback: "order.chargeback"
            case .shipped: "order.shipped"
            case .delivered: "order.delivered"
            }
        }

        /// The milestone an order's status means, if it means one (an open order means none).
        package init?(status: OrderStatus) {
            switch status {
            case .open: return nil
            case .cancelled: self = .cancelled
            case .completed, .paid: self = .fulfilled
            case .refunded: self = .refunded
            }
        }

        /// The milestone an entry type causes, if it is an order event.
        package init?(entryType: String) {
            guard let milestone = Self.allCases.first(where: { $0.entryType == entryType }) else { return nil }
            self = milestone
        }
    }

    package var id: String
    package var customerID: String?
    /// The latest snapshot of the order (items, total, discount), for event properties.
    package var snapshot: OrderSnapshot?
    /// Milestones already sent, as bits.
    package var sent: UInt8 = 0
    /// The journal seq of the entry that placed it.
    package var placedSeq: UInt64?
    package var lastSeq: UInt64 = 0

    /// An order seen for the first time.
    package init(id: String) { self.id = id }

    /// Whether `milestone`'s event was sent.
    package func has(_ milestone: Milestone) -> Bool { sent & milestone.rawValue != 0 }

    /// The furthest stage reached, for operators' queries.
    package var stage: String {
        if has(.chargeback) { return "chargeback" }
        if has(.refunded) { return "refunded" }
        if has(.cancelled) { return "cancelled" }
        if has(.delivered) { return "delivered" }
        if has(.shipped) { return "shipped" }
        if has(.fulfilled) { return "fulfilled" }
        if has(.placed) { return "placed" }
        return "seen"
    }

    /// Placed, Fulfilled, Cancelled and Refunded Order's properties (Klaviyo's guide): item names,
    /// categories, brands, items, discount.
    package func orderProperties(reason: String? = nil) -> JSONValue {
        var p = JSONObjectBuilder(capacity: 9)
        let items = snapshot?.items ?? []
        p.add("OrderId", id)
        if let reason { p.add("Reason", reason) }
        p.add("ItemNames", strings: items.compactMap(\.name))
        p.add("Categories", strings: Self.distinct(items.flatMap(\.categories)))
        let brands = Self.distinct(items.compactMap(\.brand))
        if !brands.isEmpty { p.add("Brands", strings: brands) }
        p.add("Discount Code", snapshot?.discountCode)
        p.add("Discount Value", snapshot?.discountValue)
        p.add("DeliveryDate", snapshot?.deliveryDate)
        p.add("Items", .array(items.map(Self.orderItemProperties)))
        return p.object
    }

    /// The values of `values` once each, in first-seen order.
    private static func distinct(_ values: [String]) -> [String] {
        var out: [String] = []
        for value in values where !out.contains(value) { out.append(value) }
        return out
    }

    /// An item of an order event as Klaviyo's guide spells it: `Categories` and `Brand`.
    static func orderItemProperties(_ item: LineItem) -> JSONValue {
        itemProperties(item, categoriesKey: "Categories", brandKey: "Brand")
    }

    /// Ordered Product's properties: `ProductCategories` and `ProductBrand` (Klaviyo's guide).
    static func productProperties(_ item: LineItem) -> JSONValue {
        itemProperties(item, categoriesKey: "ProductCategories", brandKey: "ProductBrand")
    }

    /// A Started Checkout item as the storefront's script sends it (seed 000): `ProductCategories`.
    static func checkoutItemProperties(_ item: LineItem) -> JSONValue {
        itemProperties(item, categoriesKey: "ProductCategories", brandKey: "ProductBrand")
    }

    private static func itemProperties(_ item: LineItem, categoriesKey: String, brandKey: String) -> JSONValue {
        var p = JSONObjectBuilder(capacity: 11)
        p.add("ProductID", item.productID)
        p.add("SKU", item.sku)
        p.add("ProductName", item.name)
        p.add("Quantity", item.quantity)
        p.add("ItemPrice", item.price)
        p.add("RowTotal", item.rowTotal)
        p.add("ProductURL", item.url)
        p.add("ImageURL", item.imageURL)
        p.add(categoriesKey, strings: item.categories)
        p.add(brandKey, item.brand)
        p.add("Kind", item.kind?.rawValue)
        return p.object
    }

    /// Ordered Product's `unique_id`s: order id + `_` + line id (or SKU), with `_2`, `_3`, … for a key
    /// repeated within the order, in line order.
    package static func productUniqueIDs(orderID: String, items: [LineItem]) -> [String] {
        var used = Set<String>()
        return items.enumerated().map { position, item in
            let base = orderID + "_" + (item.lineID ?? item.sku ?? "line\(position + 1)")
            var candidate = base
            var n = 1
            // Probe past keys already taken, including a line whose own id looks like a suffixed one.
            while used.contains(candidate) {
                n += 1
                candidate = base + "_\(n)"
            }
            used.insert(candidate)
            return candidate
        }
    }
}
