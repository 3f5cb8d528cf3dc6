/// Writing entries: envelope, snapshots and `data`, in the contract's key order
/// (`id`, `at`, `type`, `customer`, `order`, `cart`, `data`), compact, one line each.
extension Simulation {
    /// Starts an entry at `now`, up to its type: `{"id":…,"at":"…","type":"…"`.
    ///
    /// The id grows with random gaps, as the platform's log ids do.
    mutating func begin(_ type: EntryType) {
        var gap = 1
        if rng.below(100) < 35 { gap += 1 + rng.below(4) }
        if rng.below(1_000) < 4 { gap += 20 + rng.below(400) }
        nextLogID += gap
        writer.append("{\"id\":")
        writer.decimal(nextLogID)
        writer.append(",\"at\":\"")
        clock.writeTimestamp(now, into: &writer)
        writer.append("\",\"type\":\"")
        writer.append(type.name)
        writer.byte(UInt8(ascii: "\""))
        typeCounts[type.rawValue] += 1
        entryCount += 1
        hasData = false
    }

    /// Ends the entry started by `begin`, closing `data` if it was opened, and the line.
    mutating func end() {
        if hasData { writer.byte(UInt8(ascii: "}")) }
        writer.append("}\n")
    }

    // MARK: Snapshots

    /// `,"customer":{…}`: the customer's current data.
    mutating func writeCustomer(_ c: Int) {
        writer.append(",\"customer\":")
        writer.append(customers[c].identity)
        switch customers[c].status {
        case .prospect: writer.append(",\"status\":\"Prospect\"")
        case .active: writer.append(",\"status\":\"Active\"")
        case .onHold: writer.append(",\"status\":\"On Hold\"")
        case .stopped: writer.append(",\"status\":\"Stopped\"")
        case .dead: writer.append(",\"status\":\"Dead\"")
        }
        switch customers[c].schedule {
        case .none: writer.append(",\"schedule\":null")
        case .weekly: writer.append(",\"schedule\":\"Weekly\"")
        case .biweekly: writer.append(",\"schedule\":\"Biweekly\"")
        case .monthly: writer.append(",\"schedule\":\"Monthly\"")
        }
        let box = customers[c].box
        if box >= 0 {
            writer.append(",\"box\":")
            writer.append(catalog.products[box].quotedName)
        } else {
            writer.append(",\"box\":null")
        }
        writer.append(customers[c].signupDate)
        let nextDelivery = customers[c].nextDelivery
        if nextDelivery >= 0 {
            writer.append(",\"next_delivery\":\"")
            clock.writeDate(ofDay: nextDelivery, into: &writer)
            writer.byte(UInt8(ascii: "\""))
        }
        let cancelDay = customers[c].cancelDay
        if cancelDay >= 0 {
            writer.append(",\"cancel_date\":\"")
            clock.writeDate(ofDay: cancelDay, into: &writer)
            writer.byte(UInt8(ascii: "\""))
        }
        writer.append(customers[c].subscribed ? ",\"subscribed\":true}" : ",\"subscribed\":false}")
    }

    /// `,"order":{…}`: the order's current data with all its lines.
    mutating func writeOrder(_ slot: Int) {
        writer.append(",\"order\":{\"id\":\"")
        writer.decimal(orders[slot].number)
        writer.append("\",\"customer_id\":\"")
        writer.decimal(customers[orders[slot].customer].number)
        switch orders[slot].status {
        case .open: writer.append("\",\"status\":\"Open\"")
        case .cancelled: writer.append("\",\"status\":\"Cancelled\"")
        case .completed: writer.append("\",\"status\":\"Completed\"")
        case .refunded: writer.append("\",\"status\":\"Refunded\"")
        }
        writer.append(",\"created_at\":\"")
        writer.append(orders[slot].createdAt)
        writer.append("\",\"delivery_date\":\"")
        clock.writeDate(ofDay: orders[slot].deliveryDay, into: &writer)
        writer.append("\",\"total\":")
        writer.money(orders[slot].totalCents)
        writer.append(",\"currency\":\"USD\"")
        let discount = orders[slot].discountCode
        if discount >= 0 {
            writer.append(",\"discount_code\":")
            writer.append(Phrases.discountCodes[discount].code)
            writer.append(",\"discount_value\":")
            writer.money(orders[slot].discountCents)
        }
        writer.append(",\"items\":[")
        for (i, line) in orders[slot].lines.enumerated() {
            if i > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.append("{\"line_id\":\"")
            writer.decimal(line.lineID)
            writer.append("\",")
            writeProductLine(line.product, quantity: line.quantity)
        }
        writer.append("]}")
    }

    /// `,"cart":{…}` of a started signup: the chosen box and maybe an add-on, without line ids.
    mutating func writeCart(_ c: Int, products: [Int]) {
        writer.append(",\"cart\":{\"id\":\"")
        writer.decimal(customers[c].number)
        writer.append("\",\"total\":")
        var total = 0
        for p in products { total += catalog.products[p].cents }
        writer.money(total)
        writer.append(",\"checkout_url\":\"https://shop.example/sign-up\",\"items\":[")
        for (i, p) in products.enumerated() {
            writer.append(i == 0 ? "{" : ",{")
            writeProductLine(p, quantity: 1)
        }
        writer.append("]}")
    }

    /// The rest of an item object after its `{` (and line id): product, quantity, money, links, kind.
    private mutating func writeProductLine(_ product: Int, quantity: Int) {
        writer.append(catalog.products[product].head)
        writer.decimal(quantity)
        writer.append(catalog.products[product].price)
        writer.money(catalog.products[product].cents * quantity)
        writer.append(catalog.products[product].tail)
    }

    // MARK: data

    /// Writes `,"data":{` or `,` then `"key":`.
    mutating func key(_ key: StaticString) {
        writer.append(hasData ? ",\"" : ",\"data\":{\"")
        hasData = true
        writer.append(key)
        writer.append("\":")
    }

    /// `"key":<pre-quoted JSON string>`.
    mutating func data(_ name: StaticString, quoted value: [UInt8]) {
        key(name)
        writer.append(value)
    }

    /// `"key":"literal"`.
    mutating func data(_ name: StaticString, literal value: StaticString) {
        key(name)
        writer.byte(UInt8(ascii: "\""))
        writer.append(value)
        writer.byte(UInt8(ascii: "\""))
    }

    /// `"key":47.95` from cents.
    mutating func data(_ name: StaticString, money cents: Int) {
        key(name)
        writer.money(cents)
    }

    /// `"key":12`.
    mutating func data(_ name: StaticString, int value: Int) {
        key(name)
        writer.decimal(value)
    }

    /// `"key":"12345"`: an id, as the platform writes ids in JSON.
    mutating func data(_ name: StaticString, id value: Int) {
        key(name)
        writer.byte(UInt8(ascii: "\""))
        writer.decimal(value)
        writer.byte(UInt8(ascii: "\""))
    }

    /// `"key":"YYYY-MM-DD"` of a local day.
    mutating func data(_ name: StaticString, day: Int) {
        key(name)
        writer.byte(UInt8(ascii: "\""))
        clock.writeDate(ofDay: day, into: &writer)
        writer.byte(UInt8(ascii: "\""))
    }

    /// `"key":"Weekly"`.
    mutating func data(_ name: StaticString, schedule: CustomerRecord.Schedule) {
        switch schedule {
        case .none: data(name, literal: "None")
        case .weekly: data(name, literal: "Weekly")
        case .biweekly: data(name, literal: "Biweekly")
        case .monthly: data(name, literal: "Monthly")
        }
    }

    /// `"key":"Active"`.
    mutating func data(_ name: StaticString, status: CustomerRecord.Status) {
        switch status {
        case .prospect: data(name, literal: "Prospect")
        case .active: data(name, literal: "Active")
        case .onHold: data(name, literal: "On Hold")
        case .stopped: data(name, literal: "Stopped")
        case .dead: data(name, literal: "Dead")
        }
    }

    // MARK: Whole entries

    /// An entry with the customer's snapshot and nothing else.
    mutating func emit(_ type: EntryType, customer c: Int) {
        begin(type)
        writeCustomer(c)
        end()
    }

    /// An entry with the customer's and the order's snapshots.
    mutating func emit(_ type: EntryType, customer c: Int, order slot: Int) {
        begin(type)
        writeCustomer(c)
        writeOrder(slot)
        end()
    }

    /// `order.cancelled` with why and by whom (`customer` or `system`).
    mutating func emitOrderCancelled(_ c: Int, order slot: Int, reason: StaticString, by: StaticString) {
        begin(.orderCancelled)
        writeCustomer(c)
        writeOrder(slot)
        data("reason", literal: reason)
        data("by", literal: by)
        end()
    }

    /// `status.changed` with the old and new status and why.
    mutating func emitStatusChange(_ c: Int, from old: CustomerRecord.Status, reason: StaticString) {
        begin(.statusChanged)
        writeCustomer(c)
        data("from", status: old)
        data("to", status: customers[c].status)
        data("reason", literal: reason)
        end()
    }

    /// Bytes of an RFC 3339 local timestamp (for values rendered once and kept, like `signup_date`).
    mutating func timestampBytes(_ t: Int64) -> [UInt8] {
        var scratch = ByteWriter(capacity: 64)
        clock.writeTimestamp(t, into: &scratch)
        return scratch.withBytes { Array($0) }
    }
}
