extension ActiveCampaignMessage {
    /// The message as one JSON object, members in a fixed order.
    ///
    /// What the goldens (`Journal/golden/NAME.activecampaign.jsonl`) and, later,
    /// `outbox --destination activecampaign --json` show.
    package var json: JSONValue {
        var o = JSONObjectBuilder()
        addMembers(key: key, to: &o)
        return o.object
    }

    /// ``json``'s bytes (``JSONValue/write(into:)``), written without building the tree, for `key`, the
    /// message's ``key`` (the projector stores it beside the body, and building it twice was a twentieth
    /// of the fold).
    package func renderedJSON(key: String) -> [UInt8] {
        var o = JSONObjectWriter()
        addMembers(key: key, to: &o)
        return o.finish()
    }

    private func addMembers<Sink: JSONObjectSink>(key: String, to o: inout Sink) {
        o.add("key", key)
        o.add("kind", kind)
        o.add("time", utcSeconds: time)
        o.add("customer_id", customerID)
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
        o.add("source_seq", Int64(bitPattern: sourceSeq))
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
