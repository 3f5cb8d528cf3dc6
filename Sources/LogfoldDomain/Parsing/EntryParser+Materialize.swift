extension EntryParser {
    /// Builds the ``LogEntry`` the slots describe.
    func materialize(_ e: EntrySlots, scanner s: JSONScanner, workspace ws: ParseWorkspace) -> LogEntry {
        func text(_ slot: TextSlot) -> String { s.text(of: slot, scratch: ws.scratch) }
        func text(_ slot: TextSlot?) -> String? { slot.map(text) }
        func items(_ range: Range<Int>) -> [LineItem] {
            ws.items[range].map { i in
                LineItem(
                    lineID: text(i.lineID), productID: text(i.productID), sku: text(i.sku), name: text(i.name),
                    quantity: i.quantity, price: i.price, rowTotal: i.rowTotal, url: text(i.url),
                    imageURL: text(i.imageURL), categories: ws.categories[i.categories].map(text), kind: i.kind,
                    brand: text(i.brand))
            }
        }
        var entry = LogEntry(id: e.id, at: e.at, type: text(e.type), data: e.data)
        if let c = e.customer {
            entry.customer = CustomerSnapshot(
                id: text(c.id), email: text(c.email), firstName: text(c.firstName), lastName: text(c.lastName),
                phone: text(c.phone),
                address: c.address.map { a in
                    PostalAddress(
                        line1: text(a.line1), line2: text(a.line2), city: text(a.city), region: text(a.region),
                        zip: text(a.zip), country: text(a.country))
                },
                status: c.status, schedule: c.schedule, box: text(c.box), signupDate: text(c.signupDate),
                nextDelivery: text(c.nextDelivery), cancelDate: text(c.cancelDate), subscribed: c.subscribed,
                cleared: CustomerSnapshot.Fields(rawValue: c.cleared))
        }
        if let o = e.order {
            entry.order = OrderSnapshot(
                id: text(o.id), customerID: text(o.customerID), status: o.status, createdAt: o.createdAt,
                deliveryDate: text(o.deliveryDate), total: o.total, currency: text(o.currency),
                discountCode: text(o.discountCode), discountValue: o.discountValue, items: items(o.items))
        }
        if let c = e.cart {
            entry.cart = CartSnapshot(
                id: text(c.id), total: c.total, checkoutURL: text(c.checkoutURL), items: items(c.items))
        }
        return entry
    }
}
