extension ActiveCampaignMessage {
    /// The message as one JSON object, members in a fixed order.
    ///
    /// What the goldens (`Journal/golden/NAME.activecampaign.jsonl`) and
    /// `outbox --destination activecampaign --json` show.
    package var json: JSONValue {
        var o = JSONObjectBuilder()
        addMembers(key: key, to: &o)
        return o.object
    }

    /// ``json``'s bytes (``JSONValue/write(into:)``), written without building the tree, for `key`, the
    /// message's ``key``.
    package func renderedJSON(key: String) -> [UInt8] {
        var o = JSONObjectWriter()
        addMembers(key: key, to: &o)
        return o.finish()
    }

    /// What the outbox stores of the message: ``json`` without the members its row holds as columns.
    ///
    /// Those (`key`, `kind`, `time`, `customer_id`, `source_seq`) are then neither written nor stored
    /// twice; ``renderedJSON(body:key:kind:time:customerID:sourceSeq:)`` puts them back.
    package func renderedBody() -> [UInt8] {
        var o = JSONObjectWriter(capacity: 256)
        addPayloadMembers(to: &o)
        return o.finish()
    }

    /// A stored message's ``json`` bytes, from its row: the body (``renderedBody()``) with the row's
    /// columns around it, exactly as ``renderedJSON(key:)`` writes them.
    ///
    /// A body stored whole, by a build before bodies left the columns out, is returned as it is: a
    /// payload's first member is never `key`.
    package static func renderedJSON(
        body: [UInt8], key: String, kind: String, time: Timestamp, customerID: String, sourceSeq: UInt64
    ) -> [UInt8] {
        // A body that is not an object is not logfold's: its readers say it does not decode.
        guard body.first == 0x7B, body.last == 0x7D, !body.starts(with: wholeBodyStart.utf8) else { return body }
        var o = JSONObjectWriter(capacity: body.count + key.utf8.count + 128)
        addHeaderMembers(key: key, kind: kind, time: time, customerID: customerID, to: &o)
        o.add(membersOf: body)
        o.add("source_seq", Int64(bitPattern: sourceSeq))
        return o.finish()
    }

    /// How a whole stored message starts (``renderedJSON(key:)``), where a body starts with its payload.
    private static let wholeBodyStart = "{\"key\":"

    private func addMembers<Sink: JSONObjectSink>(key: String, to o: inout Sink) {
        Self.addHeaderMembers(key: key, kind: kind, time: time, customerID: customerID, to: &o)
        addPayloadMembers(to: &o)
        o.add("source_seq", Int64(bitPattern: sourceSeq))
    }

    private static func addHeaderMembers<Sink: JSONObjectSink>(
        key: String, kind: String, time: Timestamp, customerID: String, to o: inout Sink
    ) {
        o.add("key", key)
        o.add("kind", kind)
        o.add("time", utcSeconds: time)
        o.add("customer_id", customerID)
    }

    private func addPayloadMembers<Sink: JSONObjectSink>(to o: inout Sink) {
        switch payload {
        case .contact(let contact):
            o.add("email", contact.email)
            o.add("first_name", contact.firstName)
            o.add("last_name", contact.lastName)
            o.add("phone", contact.phone)
            o.addObject("fields") { fields in
                fields.add("Status", contact.status)
                fields.add("Next Delivery", contact.nextDelivery)
                fields.add("Cancel Date", contact.cancelDate)
                fields.add("Box Type", contact.boxType)
            }
        case .listStatus(let email, let subscribed):
            o.add("email", email)
            o.add("list", "All Customers")
            o.add("subscribed", subscribed)
        case .tag(let email, let add, let remove):
            o.add("email", email)
            o.add("add", add)
            o.add("remove", remove)
        case .event(let email, let name, let data):
            o.add("email", email)
            o.add("event", name)
            o.addObject("eventdata") { data.addMembers(to: &$0) }
        case .order(let order):
            o.add("email", order.email)
            o.add("order_id", order.orderID)
            o.add("currency", order.currency)
            o.add("total", order.total)
            o.add("created_at", rfc3339: order.createdAt)
            o.add("updated_at", rfc3339: order.updatedAt)
            o.addObjects("products", order.products) { product, p in product.addMembers(to: &p) }
        }
    }
}

extension ActiveCampaignProduct {
    fileprivate func addMembers<Sink: JSONObjectSink>(to p: inout Sink) {
        p.add("externalid", externalID)
        p.add("name", name)
        p.add("price", price)
        p.add("quantity", quantity)
        p.add("category", category)
        p.add("sku", sku)
        p.add("url", url)
        p.add("image_url", imageURL)
    }
}
