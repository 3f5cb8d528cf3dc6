// Member names are matched against static tables and duplicates tracked in a bitmask; values are
// recorded as slots. No `String` is built for a member name or value and nothing is allocated per
// object (the allocations dominated bulk-import profiles).

extension EntryParser {
    static let customerMembers: [StaticString] = [
        "id", "email", "first_name", "last_name", "phone", "address", "status", "schedule", "box", "signup_date",
        "next_delivery", "cancel_date", "subscribed",
    ]
    /// The ``CustomerSnapshot/Fields`` bit of each of ``customerMembers`` (the id has none).
    static let customerFieldBits: [UInt16] = [0, 1, 2, 4, 8, 256, 512, 1024, 16, 32, 64, 128, 2048]
    static let addressMembers: [StaticString] = ["line1", "line2", "city", "region", "zip", "country"]
    static let orderMembers: [StaticString] = [
        "id", "customer_id", "status", "created_at", "delivery_date", "total", "currency", "discount_code",
        "discount_value", "items",
    ]
    static let cartMembers: [StaticString] = ["id", "total", "checkout_url", "items"]
    static let itemMembers: [StaticString] = [
        "line_id", "product_id", "sku", "name", "quantity", "price", "row_total", "url", "image_url", "categories",
        "kind", "brand",
    ]

    /// Reads the members of an object whose `{` is consumed, calling `member` with the index of each
    /// known name (in `names`) and skipping unknown ones; rejects a known member that appears twice.
    @inline(__always)
    func forEachMember(
        _ s: inout JSONScanner, names: [StaticString], parent: String, position: Int? = nil,
        _ member: (inout JSONScanner, Int, FieldName) throws(Rejection) -> Void
    ) throws(Rejection) {
        var seen: UInt32 = 0
        repeat {
            let offset = s.index
            let key = try s.readKey(field: nil)
            if let i = key.index(in: names) {
                let field = FieldName(parent: parent, position: position, name: names[i])
                guard seen & (1 << i) == 0 else { throw s.duplicate(field.text, at: offset) }
                seen |= 1 << i
                try member(&s, i, field)
            } else {
                try s.skipValue(field: FieldName(parent: parent, position: position, name: "").path)
            }
        } while try s.nextMember(field: nil)
    }

    func readCustomer(_ s: inout JSONScanner, _ ws: inout ParseWorkspace) throws(Rejection) -> CustomerSlots? {
        guard let hasMembers = try s.openObject(field: "customer") else { return nil }
        var c = CustomerSlots()
        var hasID = false
        if hasMembers {
            try forEachMember(&s, names: Self.customerMembers, parent: "customer") { (s, i, f) throws(Rejection) in
                // Whether the member was `null`: a cleared value, which absent members are not.
                let isNull: Bool
                switch i {
                case 0:
                    if let id = try s.optionalNonEmptyText(field: f.text, scratch: &ws.scratch) {
                        c.id = id
                        hasID = true
                    }
                    isNull = false
                case 1:
                    c.email = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    isNull = c.email == nil
                case 2:
                    c.firstName = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    isNull = c.firstName == nil
                case 3:
                    c.lastName = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    isNull = c.lastName == nil
                case 4:
                    c.phone = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    isNull = c.phone == nil
                case 5:
                    c.address = try readAddress(&s, &ws)
                    isNull = c.address == nil
                case 6:
                    c.status = try s.optionalVocabulary(CustomerStatus.self, field: f.text, scratch: &ws.scratch)
                    isNull = c.status == nil
                case 7:
                    c.schedule = try s.optionalVocabulary(DeliverySchedule.self, field: f.text, scratch: &ws.scratch)
                    isNull = c.schedule == nil
                case 8:
                    c.box = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    isNull = c.box == nil
                case 9:
                    c.signupDate = try s.optionalDateText(field: f.text, allowDateTime: true, scratch: &ws.scratch)
                    isNull = c.signupDate == nil
                case 10:
                    c.nextDelivery = try s.optionalDateText(field: f.text, allowDateTime: false, scratch: &ws.scratch)
                    isNull = c.nextDelivery == nil
                case 11:
                    c.cancelDate = try s.optionalDateText(field: f.text, allowDateTime: true, scratch: &ws.scratch)
                    isNull = c.cancelDate == nil
                default:
                    c.subscribed = try s.optionalBool(field: f.text)
                    isNull = c.subscribed == nil
                }
                if isNull { c.cleared |= Self.customerFieldBits[i] }
            }
        }
        guard hasID else { throw missing("customer.id", "the platform's customer id, as a string") }
        return c
    }

    func readAddress(_ s: inout JSONScanner, _ ws: inout ParseWorkspace) throws(Rejection) -> AddressSlots? {
        guard let hasMembers = try s.openObject(field: "customer.address") else { return nil }
        var a = AddressSlots()
        if hasMembers {
            try forEachMember(&s, names: Self.addressMembers, parent: "customer.address") {
                (s, i, f) throws(Rejection) in
                let value = try s.optionalText(field: f.text, scratch: &ws.scratch)
                switch i {
                case 0: a.line1 = value
                case 1: a.line2 = value
                case 2: a.city = value
                case 3: a.region = value
                case 4: a.zip = value
                default: a.country = value
                }
            }
        }
        return a
    }

    func readOrder(_ s: inout JSONScanner, _ ws: inout ParseWorkspace) throws(Rejection) -> OrderSlots? {
        guard let hasMembers = try s.openObject(field: "order") else { return nil }
        var o = OrderSlots()
        var hasID = false
        if hasMembers {
            try forEachMember(&s, names: Self.orderMembers, parent: "order") { (s, i, f) throws(Rejection) in
                switch i {
                case 0:
                    if let id = try s.optionalNonEmptyText(field: f.text, scratch: &ws.scratch) {
                        o.id = id
                        hasID = true
                    }
                case 1: o.customerID = try s.optionalText(field: f.text, scratch: &ws.scratch)
                case 2: o.status = try s.optionalVocabulary(OrderStatus.self, field: f.text, scratch: &ws.scratch)
                case 3: o.createdAt = try s.optionalInstant(field: f.text, scratch: &ws.scratch)
                case 4:
                    o.deliveryDate = try s.optionalDateText(field: f.text, allowDateTime: false, scratch: &ws.scratch)
                case 5: o.total = try s.optionalMoney(field: f.text)
                case 6: o.currency = try s.optionalCurrencyText(field: f.text, scratch: &ws.scratch)
                case 7: o.discountCode = try s.optionalText(field: f.text, scratch: &ws.scratch)
                case 8: o.discountValue = try s.optionalMoney(field: f.text)
                default: o.items = try readItems(&s, &ws, field: f.text, needsKey: true)
                }
            }
        }
        guard hasID else { throw missing("order.id", "the platform's order id, as a string") }
        return o
    }

    func readCart(_ s: inout JSONScanner, _ ws: inout ParseWorkspace) throws(Rejection) -> CartSlots? {
        guard let hasMembers = try s.openObject(field: "cart") else { return nil }
        var c = CartSlots()
        var hasID = false
        if hasMembers {
            try forEachMember(&s, names: Self.cartMembers, parent: "cart") { (s, i, f) throws(Rejection) in
                switch i {
                case 0:
                    if let id = try s.optionalNonEmptyText(field: f.text, scratch: &ws.scratch) {
                        c.id = id
                        hasID = true
                    }
                case 1: c.total = try s.optionalMoney(field: f.text)
                case 2: c.checkoutURL = try s.optionalText(field: f.text, scratch: &ws.scratch)
                default: c.items = try readItems(&s, &ws, field: f.text)
                }
            }
        }
        guard hasID else { throw missing("cart.id", "the cart id, as a string") }
        return c
    }

    /// Order lines (`needsKey`) must carry `line_id` or `sku`: Ordered Product's `unique_id` is built
    /// from one of them.
    ///
    /// Cart lines need neither. Returns the lines' range in the workspace.
    func readItems(
        _ s: inout JSONScanner, _ ws: inout ParseWorkspace, field: @autoclosure () -> String, needsKey: Bool = false
    ) throws(Rejection) -> Range<Int> {
        let first = ws.items.count
        if s.consumeNull() { return first..<first }
        let field = field()
        guard s.consume(UInt8(ascii: "[")) else { throw s.wrongType("an array of items", field: field) }
        if s.consume(UInt8(ascii: "]")) { return first..<first }
        repeat {
            let position = ws.items.count - first
            guard position < EntryLimits.items else {
                throw Rejection(
                    .invalidValue, field: field, reason: "more than \(EntryLimits.items) items",
                    remedy: "split the order or cart; the contract takes at most \(EntryLimits.items) lines",
                    byteOffset: s.index)
            }
            let offset = s.index
            guard let hasMembers = try s.openObject(field: "\(field)[\(position)]") else {
                throw missing("\(field)[\(position)]", "an item object, not null")
            }
            var item = ItemSlots()
            if hasMembers {
                try forEachMember(&s, names: Self.itemMembers, parent: field, position: position) {
                    (s, i, f) throws(Rejection) in
                    switch i {
                    case 0: item.lineID = try s.optionalNonEmptyText(field: f.text, scratch: &ws.scratch)
                    case 1: item.productID = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    case 2: item.sku = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    case 3: item.name = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    case 4: item.quantity = try s.optionalInteger(field: f.text)
                    case 5: item.price = try s.optionalMoney(field: f.text)
                    case 6: item.rowTotal = try s.optionalMoney(field: f.text)
                    case 7: item.url = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    case 8: item.imageURL = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    case 9: item.categories = try s.textArray(field: f.text, into: &ws.categories, scratch: &ws.scratch)
                    case 10: item.kind = try s.optionalVocabulary(ItemKind.self, field: f.text, scratch: &ws.scratch)
                    default: item.brand = try s.optionalText(field: f.text, scratch: &ws.scratch)
                    }
                }
            }
            if needsKey, item.lineID == nil, item.sku?.isEmpty ?? true {
                throw s.invalid(
                    "an order line has neither `line_id` nor `sku`", field: "\(field)[\(position)]",
                    remedy: "send the platform's line id (or at least the SKU): Ordered Product's unique_id needs one",
                    at: offset)
            }
            ws.items.append(item)
        } while try s.nextElement(field: field)
        try s.expect(UInt8(ascii: "]"), field: field)
        return first..<ws.items.count
    }
}

/// A member's path (`order.items[2].sku`), built into text only when a rejection needs it.
struct FieldName {
    let parent: String
    let position: Int?
    let name: StaticString

    /// The parent with its position: `order.items[2]`.
    var path: String { position.map { "\(parent)[\($0)]" } ?? parent }

    var text: String { path + "." + name.description }
}
