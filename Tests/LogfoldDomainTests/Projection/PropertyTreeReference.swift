@testable import LogfoldDomain

/// The message properties as the fold built them before it wrote them as bytes (commit bd83675's parent),
/// kept as the reference the writer is held to: a member renamed, moved or dropped in the new code fails
/// against these, not only against the goldens.
enum PropertyTreeReference {
    static func order(_ order: OrderState, reason: String?) -> JSONValue {
        var p = JSONObjectBuilder()
        let items = order.snapshot?.items ?? []
        p.add("OrderId", order.id)
        if let reason { p.add("Reason", reason) }
        p.add("ItemNames", strings: items.compactMap(\.name))
        p.add("Categories", strings: distinct(items.flatMap(\.categories)))
        let brands = distinct(items.compactMap(\.brand))
        if !brands.isEmpty { p.add("Brands", strings: brands) }
        p.add("Discount Code", order.snapshot?.discountCode)
        p.add("Discount Value", order.snapshot?.discountValue)
        p.add("DeliveryDate", order.snapshot?.deliveryDate)
        p.add("Items", .array(items.map { item($0, categoriesKey: "Categories", brandKey: "Brand") }))
        return p.object
    }

    static func product(orderID: String, item line: LineItem) -> JSONValue {
        guard case .object(var members) = item(line, categoriesKey: "ProductCategories", brandKey: "ProductBrand")
        else { return .null }
        members.insert(.init("OrderId", .string(orderID)), at: 0)
        return .object(members)
    }

    static func checkout(_ cart: CartSnapshot?) -> JSONValue {
        let items = cart?.items ?? []
        var categories: [String] = []
        for category in items.flatMap(\.categories) where !categories.contains(category) { categories.append(category) }
        var p = JSONObjectBuilder()
        p.add("ItemNames", strings: items.compactMap(\.name))
        p.add("CheckoutURL", cart?.checkoutURL)
        p.add("Categories", strings: categories)
        p.add(
            "Items",
            .array(items.map { item($0, categoriesKey: "ProductCategories", brandKey: "ProductBrand") }))
        return p.object
    }

    static func profile(_ profile: SentProfile, clearing previous: SentProfile?) -> JSONValue {
        var p = JSONObjectBuilder()
        func add(_ key: String, _ value: String?, _ old: String?) {
            if let value {
                p.add(key, value)
            } else if old != nil {
                p.addNull(key)
            }
        }
        add("Status", profile.status?.rawValue, previous?.status?.rawValue)
        add("Schedule", profile.schedule?.rawValue, previous?.schedule?.rawValue)
        add("Box", profile.box, previous?.box)
        add("SignUpDate", profile.signupDate, previous?.signupDate)
        add("NextDelivery", profile.nextDelivery, previous?.nextDelivery)
        add("CancelDate", profile.cancelDate, previous?.cancelDate)
        p.add("Order This Week", profile.weekTag)
        p.add("Missed Signup", profile.missedSignup)
        return p.object
    }

    private static func item(_ item: LineItem, categoriesKey: String, brandKey: String) -> JSONValue {
        var p = JSONObjectBuilder()
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

    private static func distinct(_ values: [String]) -> [String] {
        var out: [String] = []
        for value in values where !out.contains(value) { out.append(value) }
        return out
    }
}
