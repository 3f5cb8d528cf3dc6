extension CompactEntryCodec {
    // Each snapshot is a presence bitmask (varint) followed by the present fields in bit order.

    static func encode(_ c: CustomerSnapshot, into w: inout CompactWriter) {
        // Written field by field (no temporary arrays): this runs once per ingested entry.
        var mask: UInt64 = 0
        if c.email != nil { mask |= 1 << 0 }
        if c.firstName != nil { mask |= 1 << 1 }
        if c.lastName != nil { mask |= 1 << 2 }
        if c.phone != nil { mask |= 1 << 3 }
        if c.box != nil { mask |= 1 << 4 }
        if c.signupDate != nil { mask |= 1 << 5 }
        if c.nextDelivery != nil { mask |= 1 << 6 }
        if c.cancelDate != nil { mask |= 1 << 7 }
        if c.address != nil { mask |= 1 << 8 }
        if c.status != nil { mask |= 1 << 9 }
        if c.schedule != nil { mask |= 1 << 10 }
        if c.subscribed != nil { mask |= 1 << 11 }
        // Members sent as `null` take the twelve bits above the presence bits and carry no bytes.
        mask |= UInt64(c.cleared.rawValue) << 12
        w.string(c.id)
        w.varint(mask)
        w.optionalString(c.email)
        w.optionalString(c.firstName)
        w.optionalString(c.lastName)
        w.optionalString(c.phone)
        w.optionalString(c.box)
        w.optionalString(c.signupDate)
        w.optionalString(c.nextDelivery)
        w.optionalString(c.cancelDate)
        if let a = c.address {
            var partMask: UInt8 = 0
            if a.line1 != nil { partMask |= 1 << 0 }
            if a.line2 != nil { partMask |= 1 << 1 }
            if a.city != nil { partMask |= 1 << 2 }
            if a.region != nil { partMask |= 1 << 3 }
            if a.zip != nil { partMask |= 1 << 4 }
            if a.country != nil { partMask |= 1 << 5 }
            w.byte(partMask)
            w.optionalString(a.line1)
            w.optionalString(a.line2)
            w.optionalString(a.city)
            w.optionalString(a.region)
            w.optionalString(a.zip)
            w.optionalString(a.country)
        }
        if let status = c.status { w.byte(status.code) }
        if let schedule = c.schedule { w.byte(schedule.code) }
        if let subscribed = c.subscribed { w.byte(subscribed ? 1 : 0) }
    }

    static func decodeCustomer(_ r: inout CompactReader) throws(CompactDecodingError) -> CustomerSnapshot {
        var c = CustomerSnapshot(id: try r.string())
        let mask = try r.varint()
        func next(_ bit: UInt64) throws(CompactDecodingError) -> String? {
            mask & (1 << bit) != 0 ? try r.string() : nil
        }
        c.email = try next(0)
        c.firstName = try next(1)
        c.lastName = try next(2)
        c.phone = try next(3)
        c.box = try next(4)
        c.signupDate = try next(5)
        c.nextDelivery = try next(6)
        c.cancelDate = try next(7)
        if mask & (1 << 8) != 0 {
            let partMask = try r.byte()
            func part(_ bit: UInt8) throws(CompactDecodingError) -> String? {
                partMask & (1 << bit) != 0 ? try r.string() : nil
            }
            c.address = PostalAddress(
                line1: try part(0), line2: try part(1), city: try part(2), region: try part(3), zip: try part(4),
                country: try part(5))
        }
        if mask & (1 << 9) != 0 { c.status = try vocabulary(CustomerStatus.self, &r) }
        if mask & (1 << 10) != 0 { c.schedule = try vocabulary(DeliverySchedule.self, &r) }
        if mask & (1 << 11) != 0 { c.subscribed = try r.byte() != 0 }
        c.cleared = CustomerSnapshot.Fields(rawValue: UInt16(truncatingIfNeeded: mask >> 12) & 0xFFF)
        return c
    }

    static func encode(_ o: OrderSnapshot, into w: inout CompactWriter) {
        var mask: UInt64 = 0
        if o.customerID != nil { mask |= 1 << 0 }
        if o.deliveryDate != nil { mask |= 1 << 1 }
        if o.currency != nil { mask |= 1 << 2 }
        if o.discountCode != nil { mask |= 1 << 3 }
        if o.status != nil { mask |= 1 << 4 }
        if o.createdAt != nil { mask |= 1 << 5 }
        if o.total != nil { mask |= 1 << 6 }
        if o.discountValue != nil { mask |= 1 << 7 }
        w.string(o.id)
        w.varint(mask)
        w.optionalString(o.customerID)
        w.optionalString(o.deliveryDate)
        w.optionalString(o.currency)
        w.optionalString(o.discountCode)
        if let status = o.status { w.byte(status.code) }
        if let createdAt = o.createdAt { w.timestamp(createdAt) }
        if let total = o.total { w.money(total) }
        if let discountValue = o.discountValue { w.money(discountValue) }
        encode(o.items, into: &w)
    }

    static func decodeOrder(_ r: inout CompactReader) throws(CompactDecodingError) -> OrderSnapshot {
        var o = OrderSnapshot(id: try r.string())
        let mask = try r.varint()
        func next(_ bit: UInt64) throws(CompactDecodingError) -> String? {
            mask & (1 << bit) != 0 ? try r.string() : nil
        }
        o.customerID = try next(0)
        o.deliveryDate = try next(1)
        o.currency = try next(2)
        o.discountCode = try next(3)
        if mask & (1 << 4) != 0 { o.status = try vocabulary(OrderStatus.self, &r) }
        if mask & (1 << 5) != 0 { o.createdAt = try r.timestamp() }
        if mask & (1 << 6) != 0 { o.total = try r.money() }
        if mask & (1 << 7) != 0 { o.discountValue = try r.money() }
        o.items = try decodeItems(&r)
        return o
    }

    static func encode(_ c: CartSnapshot, into w: inout CompactWriter) {
        var mask: UInt8 = 0
        if c.total != nil { mask |= 1 }
        if c.checkoutURL != nil { mask |= 2 }
        w.string(c.id)
        w.byte(mask)
        if let total = c.total { w.money(total) }
        if let url = c.checkoutURL { w.string(url) }
        encode(c.items, into: &w)
    }

    static func decodeCart(_ r: inout CompactReader) throws(CompactDecodingError) -> CartSnapshot {
        var c = CartSnapshot(id: try r.string())
        let mask = try r.byte()
        if mask & 1 != 0 { c.total = try r.money() }
        if mask & 2 != 0 { c.checkoutURL = try r.string() }
        c.items = try decodeItems(&r)
        return c
    }

    static func encode(_ items: [LineItem], into w: inout CompactWriter) {
        w.varint(UInt64(items.count))
        for item in items {
            var mask: UInt64 = 0
            if item.lineID != nil { mask |= 1 << 0 }
            if item.productID != nil { mask |= 1 << 1 }
            if item.sku != nil { mask |= 1 << 2 }
            if item.name != nil { mask |= 1 << 3 }
            if item.url != nil { mask |= 1 << 4 }
            if item.imageURL != nil { mask |= 1 << 5 }
            if item.quantity != nil { mask |= 1 << 6 }
            if item.price != nil { mask |= 1 << 7 }
            if item.rowTotal != nil { mask |= 1 << 8 }
            if item.kind != nil { mask |= 1 << 9 }
            if item.brand != nil { mask |= 1 << 10 }
            w.varint(mask)
            w.optionalString(item.lineID)
            w.optionalString(item.productID)
            w.optionalString(item.sku)
            w.optionalString(item.name)
            w.optionalString(item.url)
            w.optionalString(item.imageURL)
            if let quantity = item.quantity { w.signed(quantity) }
            if let price = item.price { w.money(price) }
            if let rowTotal = item.rowTotal { w.money(rowTotal) }
            if let kind = item.kind { w.byte(kind.code) }
            w.varint(UInt64(item.categories.count))
            for category in item.categories { w.string(category) }
            // After the categories: the field came with contract v1.1, and earlier forms end there.
            w.optionalString(item.brand)
        }
    }

    static func decodeItems(_ r: inout CompactReader) throws(CompactDecodingError) -> [LineItem] {
        let count = try r.varint()
        // Above the parser's limits (EntryLimits): records earlier builds journaled still decode.
        guard count <= 100_000 else {
            throw CompactDecodingError(reason: "item count \(count) implausible", offset: r.index)
        }
        var items: [LineItem] = []
        items.reserveCapacity(Int(count))
        for _ in 0..<count {
            let mask = try r.varint()
            func next(_ bit: UInt64) throws(CompactDecodingError) -> String? {
                mask & (1 << bit) != 0 ? try r.string() : nil
            }
            var item = LineItem(
                lineID: try next(0), productID: try next(1), sku: try next(2), name: try next(3), url: try next(4),
                imageURL: try next(5))
            if mask & (1 << 6) != 0 { item.quantity = try r.signed() }
            if mask & (1 << 7) != 0 { item.price = try r.money() }
            if mask & (1 << 8) != 0 { item.rowTotal = try r.money() }
            if mask & (1 << 9) != 0 { item.kind = try vocabulary(ItemKind.self, &r) }
            let categoryCount = try r.varint()
            guard categoryCount <= 10_000 else {
                throw CompactDecodingError(reason: "category count implausible", offset: r.index)
            }
            for _ in 0..<categoryCount { item.categories.append(try r.string()) }
            item.brand = try next(10)
            items.append(item)
        }
        return items
    }

    static func encode(_ value: JSONValue, into w: inout CompactWriter) {
        switch value {
        case .null: w.byte(0)
        case .bool(let b): w.byte(b ? 2 : 1)
        case .number(let literal):
            w.byte(3)
            w.string(literal)
        case .string(let s):
            w.byte(4)
            w.string(s)
        case .array(let elements):
            w.byte(5)
            w.varint(UInt64(elements.count))
            for element in elements { encode(element, into: &w) }
        case .object(let members):
            w.byte(6)
            w.varint(UInt64(members.count))
            for member in members {
                w.string(member.key)
                encode(member.value, into: &w)
            }
        }
    }

    static func decodeValue(_ r: inout CompactReader, depth: Int) throws(CompactDecodingError) -> JSONValue {
        guard depth <= JSONScanner.maximumDepth else {
            throw CompactDecodingError(reason: "nesting too deep", offset: r.index)
        }
        switch try r.byte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .number(try r.string())
        case 4: return .string(try r.string())
        case 5:
            let count = try r.varint()
            guard count <= 1_000_000 else { throw CompactDecodingError(reason: "array too long", offset: r.index) }
            var elements: [JSONValue] = []
            for _ in 0..<count { elements.append(try decodeValue(&r, depth: depth + 1)) }
            return .array(elements)
        case 6:
            let count = try r.varint()
            guard count <= 1_000_000 else { throw CompactDecodingError(reason: "object too large", offset: r.index) }
            var members: [JSONValue.Member] = []
            for _ in 0..<count {
                let key = try r.string()
                members.append(JSONValue.Member(key, try decodeValue(&r, depth: depth + 1)))
            }
            return .object(members)
        case let tag: throw CompactDecodingError(reason: "unknown value tag \(tag)", offset: r.index)
        }
    }

    private static func vocabulary<E: CaseIterable>(_ type: E.Type, _ r: inout CompactReader)
        throws(CompactDecodingError) -> E
    where E.AllCases == [E] {
        let index = Int(try r.byte())
        guard index < E.allCases.count else {
            throw CompactDecodingError(reason: "unknown \(E.self) code \(index)", offset: r.index)
        }
        return E.allCases[index]
    }
}
