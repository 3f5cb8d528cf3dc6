// The compact form written straight from the parser's slots: the same bytes as
// `encode(_: LogEntry)` (a test holds them equal), without building any `String`.

extension CompactEntryCodec {
    static func encode(
        _ e: EntrySlots, scanner s: JSONScanner, workspace ws: ParseWorkspace, into w: inout CompactWriter
    ) {
        func put(_ slot: TextSlot) {
            s.withBytes(of: slot, scratch: ws.scratch) { w.rawString($0) }
        }
        func put(_ slot: TextSlot?) {
            if let slot { put(slot) }
        }
        func bit(_ present: Bool, _ n: UInt64) -> UInt64 { present ? 1 << n : 0 }

        w.byte(version)
        w.varint(e.id)
        w.timestamp(e.at)
        put(e.type)
        var present: UInt8 = 0
        if e.customer != nil { present |= 1 }
        if e.order != nil { present |= 2 }
        if e.cart != nil { present |= 4 }
        if e.data != nil { present |= 8 }
        w.byte(present)
        if let c = e.customer {
            let mask =
                bit(c.email != nil, 0) | bit(c.firstName != nil, 1) | bit(c.lastName != nil, 2)
                | bit(c.phone != nil, 3) | bit(c.box != nil, 4) | bit(c.signupDate != nil, 5)
                | bit(c.nextDelivery != nil, 6) | bit(c.cancelDate != nil, 7) | bit(c.address != nil, 8)
                | bit(c.status != nil, 9) | bit(c.schedule != nil, 10) | bit(c.subscribed != nil, 11)
                | UInt64(c.cleared) << 12
            put(c.id)
            w.varint(mask)
            put(c.email)
            put(c.firstName)
            put(c.lastName)
            put(c.phone)
            put(c.box)
            put(c.signupDate)
            put(c.nextDelivery)
            put(c.cancelDate)
            if let a = c.address {
                let parts =
                    bit(a.line1 != nil, 0) | bit(a.line2 != nil, 1) | bit(a.city != nil, 2) | bit(a.region != nil, 3)
                    | bit(a.zip != nil, 4) | bit(a.country != nil, 5)
                w.byte(UInt8(parts))
                put(a.line1)
                put(a.line2)
                put(a.city)
                put(a.region)
                put(a.zip)
                put(a.country)
            }
            if let status = c.status { w.byte(status.code) }
            if let schedule = c.schedule { w.byte(schedule.code) }
            if let subscribed = c.subscribed { w.byte(subscribed ? 1 : 0) }
        }
        func items(_ range: Range<Int>) {
            w.varint(UInt64(range.count))
            for i in ws.items[range] {
                let mask =
                    bit(i.lineID != nil, 0) | bit(i.productID != nil, 1) | bit(i.sku != nil, 2) | bit(i.name != nil, 3)
                    | bit(i.url != nil, 4) | bit(i.imageURL != nil, 5) | bit(i.quantity != nil, 6)
                    | bit(i.price != nil, 7) | bit(i.rowTotal != nil, 8) | bit(i.kind != nil, 9)
                    | bit(i.brand != nil, 10)
                w.varint(mask)
                put(i.lineID)
                put(i.productID)
                put(i.sku)
                put(i.name)
                put(i.url)
                put(i.imageURL)
                if let quantity = i.quantity { w.signed(quantity) }
                if let price = i.price { w.money(price) }
                if let rowTotal = i.rowTotal { w.money(rowTotal) }
                if let kind = i.kind { w.byte(kind.code) }
                w.varint(UInt64(i.categories.count))
                for category in ws.categories[i.categories] { put(category) }
                put(i.brand)
            }
        }
        if let o = e.order {
            let mask =
                bit(o.customerID != nil, 0) | bit(o.deliveryDate != nil, 1) | bit(o.currency != nil, 2)
                | bit(o.discountCode != nil, 3) | bit(o.status != nil, 4) | bit(o.createdAt != nil, 5)
                | bit(o.total != nil, 6) | bit(o.discountValue != nil, 7)
            put(o.id)
            w.varint(mask)
            put(o.customerID)
            put(o.deliveryDate)
            put(o.currency)
            put(o.discountCode)
            if let status = o.status { w.byte(status.code) }
            if let createdAt = o.createdAt { w.timestamp(createdAt) }
            if let total = o.total { w.money(total) }
            if let discountValue = o.discountValue { w.money(discountValue) }
            items(o.items)
        }
        if let c = e.cart {
            put(c.id)
            w.byte((c.total != nil ? 1 : 0) | (c.checkoutURL != nil ? 2 : 0))
            if let total = c.total { w.money(total) }
            put(c.checkoutURL)
            items(c.items)
        }
        if let data = e.data { encode(data, into: &w) }
    }
}
