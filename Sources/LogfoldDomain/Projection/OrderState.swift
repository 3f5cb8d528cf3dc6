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

        /// The milestone an entry type causes, if it is an order event (the inverse of ``entryType``).
        package init?(entryType: String) {
            // A switch, not a search of `allCases` comparing each case's name: every entry asks, and the
            // search was 580 instructions a call (0.7% of the folding thread).
            switch entryType {
            case "order.created": self = .placed
            case "order.cancelled": self = .cancelled
            case "order.completed": self = .fulfilled
            case "order.refunded": self = .refunded
            case "order.chargeback": self = .chargeback
            case "order.shipped": self = .shipped
            case "order.delivered": self = .delivered
            default: return nil
            }
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
    package func orderProperties(reason: String? = nil) -> MessageProperties {
        var w = PropertiesWriter(capacity: 128 + 256 * (snapshot?.items.count ?? 0))
        writeOrderProperties(reason: reason, into: &w)
        return w.finish()
    }

    /// ``orderProperties(reason:)``'s members, into either sink.
    ///
    /// They read the order's id and its snapshot's items, discount and delivery date, nothing else:
    /// ``OrderPropertiesMemo`` keeps them while those stay the same.
    package func writeOrderProperties<Sink: PropertiesSink>(reason: String? = nil, into p: inout Sink) {
        let items = snapshot?.items ?? []
        p.add(.orderID, id)
        if let reason { p.add(.reason, reason) }
        p.add(.itemNames, strings: items.compactMap(\.name))
        p.add(.categories, strings: Self.distinct(items.flatMap(\.categories)))
        let brands = Self.distinct(items.compactMap(\.brand))
        if !brands.isEmpty { p.add(.brands, strings: brands) }
        p.add(.discountCode, snapshot?.discountCode)
        p.add(.discountValue, snapshot?.discountValue)
        p.add(.deliveryDate, snapshot?.deliveryDate)
        p.addObjects(.items, items) { item, p in
            Self.writeItem(item, categoriesName: .categories, brandName: .brand, into: &p)
        }
    }

    /// The values of `values` once each, in first-seen order.
    private static func distinct(_ values: [String]) -> [String] {
        var out: [String] = []
        for value in values where !out.contains(value) { out.append(value) }
        return out
    }

    /// Ordered Product's properties: the order id, then the line with `ProductCategories` and
    /// `ProductBrand` (Klaviyo's guide).
    package static func productProperties(orderID: String, item: LineItem) -> MessageProperties {
        var w = PropertiesWriter(capacity: 320)
        writeProductProperties(orderID: orderID, item: item, into: &w)
        return w.finish()
    }

    /// ``productProperties(orderID:item:)``'s members, into either sink.
    package static func writeProductProperties<Sink: PropertiesSink>(
        orderID: String, item: LineItem, into p: inout Sink
    ) {
        p.add(.orderID, orderID)
        writeItem(item, categoriesName: .productCategories, brandName: .productBrand, into: &p)
    }

    /// Started Checkout's properties: item names, checkout URL, categories and the items as the
    /// storefront's script sends them (seed 000), with `ProductCategories`.
    package static func checkoutProperties(_ cart: CartSnapshot?) -> MessageProperties {
        var w = PropertiesWriter(capacity: 128 + 256 * (cart?.items.count ?? 0))
        writeCheckoutProperties(cart, into: &w)
        return w.finish()
    }

    /// ``checkoutProperties(_:)``'s members, into either sink.
    package static func writeCheckoutProperties<Sink: PropertiesSink>(_ cart: CartSnapshot?, into p: inout Sink) {
        let items = cart?.items ?? []
        var categories: [String] = []
        for item in items {
            for category in item.categories where !categories.contains(category) { categories.append(category) }
        }
        p.add(.itemNames, strings: items.compactMap(\.name))
        p.add(.checkoutURL, cart?.checkoutURL)
        p.add(.categories, strings: categories)
        p.addObjects(.items, items) { item, p in
            writeItem(item, categoriesName: .productCategories, brandName: .productBrand, into: &p)
        }
    }

    private static func writeItem<Sink: PropertiesSink>(
        _ item: LineItem, categoriesName: PropertyName, brandName: PropertyName, into p: inout Sink
    ) {
        p.add(.productID, item.productID)
        p.add(.sku, item.sku)
        p.add(.productName, item.name)
        p.add(.quantity, item.quantity)
        p.add(.itemPrice, item.price)
        p.add(.rowTotal, item.rowTotal)
        p.add(.productURL, item.url)
        p.add(.imageURL, item.imageURL)
        p.add(categoriesName, strings: item.categories)
        p.add(brandName, item.brand)
        p.add(.kind, item.kind?.rawValue)
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
