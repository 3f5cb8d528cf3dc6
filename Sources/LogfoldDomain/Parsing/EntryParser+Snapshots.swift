extension EntryParser {
    func parseCustomer(_ s: inout JSONScanner) throws(Rejection) -> CustomerSnapshot? {
        guard let hasMembers = try s.openObject(field: "customer") else { return nil }
        var c = CustomerSnapshot(id: "")
        var hasID = false
        var seen = Set<String>()
        if hasMembers {
            repeat {
                let offset = s.index
                let key = try s.readKey(field: "customer")
                let name = key.text
                guard seen.insert(name).inserted else { throw s.duplicate("customer.\(name)", at: offset) }
                switch name {
                case "id":
                    if let id = try s.requiredID(field: "customer.id") {
                        c.id = id
                        hasID = true
                    }
                case "email": c.email = try s.optionalString(field: "customer.email")
                case "first_name": c.firstName = try s.optionalString(field: "customer.first_name")
                case "last_name": c.lastName = try s.optionalString(field: "customer.last_name")
                case "phone": c.phone = try s.optionalString(field: "customer.phone")
                case "address": c.address = try parseAddress(&s)
                case "status": c.status = try s.optionalEnum(CustomerStatus.self, field: "customer.status")
                case "schedule": c.schedule = try s.optionalEnum(DeliverySchedule.self, field: "customer.schedule")
                case "box": c.box = try s.optionalString(field: "customer.box")
                case "signup_date":
                    c.signupDate = try s.optionalDate(field: "customer.signup_date", allowDateTime: true)
                case "next_delivery":
                    c.nextDelivery = try s.optionalDate(field: "customer.next_delivery", allowDateTime: false)
                case "cancel_date":
                    c.cancelDate = try s.optionalDate(field: "customer.cancel_date", allowDateTime: true)
                case "subscribed": c.subscribed = try s.optionalBool(field: "customer.subscribed")
                default: try s.skipValue(field: "customer.\(name)")
                }
            } while try s.nextMember(field: "customer")
        }
        guard hasID else { throw missingInside("customer.id", "the platform's customer id, as a string") }
        return c
    }

    func parseAddress(_ s: inout JSONScanner) throws(Rejection) -> PostalAddress? {
        guard let hasMembers = try s.openObject(field: "customer.address") else { return nil }
        var a = PostalAddress()
        var seen = Set<String>()
        if hasMembers {
            repeat {
                let offset = s.index
                let name = try s.readKey(field: "customer.address").text
                guard seen.insert(name).inserted else { throw s.duplicate("customer.address.\(name)", at: offset) }
                let field = "customer.address.\(name)"
                switch name {
                case "line1": a.line1 = try s.optionalString(field: field)
                case "line2": a.line2 = try s.optionalString(field: field)
                case "city": a.city = try s.optionalString(field: field)
                case "region": a.region = try s.optionalString(field: field)
                case "zip": a.zip = try s.optionalString(field: field)
                case "country": a.country = try s.optionalString(field: field)
                default: try s.skipValue(field: field)
                }
            } while try s.nextMember(field: "customer.address")
        }
        return a
    }

    func parseOrder(_ s: inout JSONScanner) throws(Rejection) -> OrderSnapshot? {
        guard let hasMembers = try s.openObject(field: "order") else { return nil }
        var o = OrderSnapshot(id: "")
        var hasID = false
        var seen = Set<String>()
        if hasMembers {
            repeat {
                let offset = s.index
                let name = try s.readKey(field: "order").text
                guard seen.insert(name).inserted else { throw s.duplicate("order.\(name)", at: offset) }
                switch name {
                case "id":
                    if let id = try s.requiredID(field: "order.id") {
                        o.id = id
                        hasID = true
                    }
                case "customer_id": o.customerID = try s.optionalString(field: "order.customer_id")
                case "status": o.status = try s.optionalEnum(OrderStatus.self, field: "order.status")
                case "created_at": o.createdAt = try s.optionalTimestamp(field: "order.created_at")
                case "delivery_date":
                    o.deliveryDate = try s.optionalDate(field: "order.delivery_date", allowDateTime: false)
                case "total": o.total = try s.optionalMoney(field: "order.total")
                case "currency": o.currency = try s.optionalCurrency(field: "order.currency")
                case "discount_code": o.discountCode = try s.optionalString(field: "order.discount_code")
                case "discount_value": o.discountValue = try s.optionalMoney(field: "order.discount_value")
                case "items": o.items = try parseItems(&s, field: "order.items", needsKey: true)
                default: try s.skipValue(field: "order.\(name)")
                }
            } while try s.nextMember(field: "order")
        }
        guard hasID else { throw missingInside("order.id", "the platform's order id, as a string") }
        return o
    }

    func parseCart(_ s: inout JSONScanner) throws(Rejection) -> CartSnapshot? {
        guard let hasMembers = try s.openObject(field: "cart") else { return nil }
        var c = CartSnapshot(id: "")
        var hasID = false
        var seen = Set<String>()
        if hasMembers {
            repeat {
                let offset = s.index
                let name = try s.readKey(field: "cart").text
                guard seen.insert(name).inserted else { throw s.duplicate("cart.\(name)", at: offset) }
                switch name {
                case "id":
                    if let id = try s.requiredID(field: "cart.id") {
                        c.id = id
                        hasID = true
                    }
                case "total": c.total = try s.optionalMoney(field: "cart.total")
                case "checkout_url": c.checkoutURL = try s.optionalString(field: "cart.checkout_url")
                case "items": c.items = try parseItems(&s, field: "cart.items")
                default: try s.skipValue(field: "cart.\(name)")
                }
            } while try s.nextMember(field: "cart")
        }
        guard hasID else { throw missingInside("cart.id", "the cart id, as a string") }
        return c
    }

    /// Order lines (`needsKey`) must carry `line_id` or `sku`: Ordered Product's `unique_id` is built
    /// from one of them. Cart lines need neither.
    func parseItems(_ s: inout JSONScanner, field: String, needsKey: Bool = false) throws(Rejection) -> [LineItem] {
        if s.consumeNull() { return [] }
        guard s.consume(UInt8(ascii: "[")) else { throw s.wrongType("an array of items", field: field) }
        var items: [LineItem] = []
        if s.consume(UInt8(ascii: "]")) { return items }
        repeat {
            let path = "\(field)[\(items.count)]"
            guard let hasMembers = try s.openObject(field: path) else {
                throw missingInside(path, "an item object, not null")
            }
            let offset = s.index
            let item = hasMembers ? try parseItem(&s, path: path) : LineItem()
            if needsKey, item.lineID?.isEmpty ?? true, item.sku?.isEmpty ?? true {
                throw s.invalid(
                    "an order line has neither `line_id` nor `sku`", field: path,
                    remedy: "send the platform's line id (or at least the SKU): Ordered Product's unique_id needs one",
                    at: offset)
            }
            items.append(item)
        } while try s.nextElement(field: field)
        try s.expect(UInt8(ascii: "]"), field: field)
        return items
    }

    private func parseItem(_ s: inout JSONScanner, path: String) throws(Rejection) -> LineItem {
        var item = LineItem()
        var seen = Set<String>()
        repeat {
            let offset = s.index
            let name = try s.readKey(field: path).text
            guard seen.insert(name).inserted else { throw s.duplicate("\(path).\(name)", at: offset) }
            switch name {
            case "line_id": item.lineID = try s.optionalNonEmptyString(field: "\(path).line_id")
            case "product_id": item.productID = try s.optionalString(field: "\(path).product_id")
            case "sku": item.sku = try s.optionalString(field: "\(path).sku")
            case "name": item.name = try s.optionalString(field: "\(path).name")
            case "quantity": item.quantity = try s.optionalInteger(field: "\(path).quantity")
            case "price": item.price = try s.optionalMoney(field: "\(path).price")
            case "row_total": item.rowTotal = try s.optionalMoney(field: "\(path).row_total")
            case "url": item.url = try s.optionalString(field: "\(path).url")
            case "image_url": item.imageURL = try s.optionalString(field: "\(path).image_url")
            case "categories": item.categories = try s.stringArray(field: "\(path).categories")
            case "kind": item.kind = try s.optionalEnum(ItemKind.self, field: "\(path).kind")
            default: try s.skipValue(field: "\(path).\(name)")
            }
        } while try s.nextMember(field: path)
        return item
    }

    private func missingInside(_ field: String, _ what: String) -> Rejection {
        Rejection(
            .missingField, field: field, reason: "the required member is missing or null",
            remedy: "add `\(field)`: \(what)")
    }
}
