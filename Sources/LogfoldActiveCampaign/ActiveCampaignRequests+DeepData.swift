internal import LogfoldDomain

extension ActiveCampaignRequests {
    // MARK: Deep Data: connection → customer → order

    /// `GET /connections?filters[service]=…&filters[externalid]=…`: the store's connection, if made.
    package static func findConnection(service: String, externalID: String) -> ActiveCampaignCall {
        ActiveCampaignCall(
            .get,
            .api(
                "/connections?filters%5Bservice%5D=" + FormEncoding.escape(service) + "&filters%5Bexternalid%5D="
                    + FormEncoding.escape(externalID)))
    }

    /// `POST /connections`: the store, as AC's e-commerce views show it.
    package static func createConnection(
        service: String, externalID: String, name: String, logoURL: String, linkURL: String
    ) -> ActiveCampaignCall {
        post(
            "/connections",
            [
                "connection": .object([
                    .init("service", .string(service)), .init("externalid", .string(externalID)),
                    .init("name", .string(name)), .init("logoUrl", .string(logoURL)),
                    .init("linkUrl", .string(linkURL)),
                ])
            ])
    }

    /// `GET /ecomCustomers?filters[connectionid]=…&filters[externalid]=…`.
    package static func findCustomer(connectionID: String, externalID: String) -> ActiveCampaignCall {
        ActiveCampaignCall(
            .get,
            .api(
                "/ecomCustomers?filters%5Bconnectionid%5D=" + FormEncoding.escape(connectionID)
                    + "&filters%5Bexternalid%5D=" + FormEncoding.escape(externalID)))
    }

    /// `POST /ecomCustomers`: the platform customer under the connection; AC links it to the contact by
    /// email.
    package static func createCustomer(connectionID: String, externalID: String, email: String) -> ActiveCampaignCall {
        post(
            "/ecomCustomers",
            [
                "ecomCustomer": .object([
                    .init("connectionid", .string(connectionID)), .init("externalid", .string(externalID)),
                    .init("email", .string(email)), .init("acceptsMarketing", .string("1")),
                ])
            ])
    }

    /// `GET /ecomOrders?filters[connectionid]=…&filters[externalid]=…`: asked before creating an order
    /// whose create had an unknown outcome (AC has no dedupe key for orders).
    package static func findOrder(connectionID: String, externalID: String) -> ActiveCampaignCall {
        ActiveCampaignCall(
            .get,
            .api(
                "/ecomOrders?filters%5Bconnectionid%5D=" + FormEncoding.escape(connectionID)
                    + "&filters%5Bexternalid%5D=" + FormEncoding.escape(externalID)))
    }

    /// `POST /ecomOrders`: an order, with every product.
    package static func createOrder(_ order: EcommerceOrder) -> ActiveCampaignCall {
        post("/ecomOrders", ["ecomOrder": order.json])
    }

    /// `PUT /ecomOrders/ID`: replaces an order whole (the product list included: AC gives the lines new
    /// ids), as a refund's correction does.
    package static func updateOrder(activeCampaignID: String, _ order: EcommerceOrder) -> ActiveCampaignCall {
        ActiveCampaignCall(
            .put, .api("/ecomOrders/" + FormEncoding.escape(activeCampaignID)),
            body: render(["ecomOrder": order.json]))
    }

    // MARK: Bulk import

    /// `POST /import/bulk_import`: up to 250 contacts with their fields, tags and list, automations
    /// excluded (a history send must not start them).
    package static func bulkImport(_ contacts: [BulkContact]) -> ActiveCampaignCall {
        post(
            "/import/bulk_import",
            ["contacts": .array(contacts.map(\.json)), "exclude_automations": .bool(true)])
    }

    /// `GET /import/info?batchId=…`: a bulk import's progress and the emails it failed.
    package static func importInfo(batchID: String) -> ActiveCampaignCall {
        ActiveCampaignCall(.get, .api("/import/info?batchId=" + FormEncoding.escape(batchID)))
    }
}

/// An e-commerce order as `ecomOrders` takes it: money in integer cents, dates ISO 8601 with an offset.
package struct EcommerceOrder: Sendable, Hashable {
    /// One product line.
    package struct Product: Sendable, Hashable {
        package var externalID: String
        package var name: String
        package var priceCents: Int64
        package var quantity: Int64
        /// `menu`, `sub` or `addon`.
        package var category: String?
        package var sku: String?
        package var url: String?
        package var imageURL: String?

        /// Creates a line.
        package init(
            externalID: String, name: String, priceCents: Int64, quantity: Int64, category: String? = nil,
            sku: String? = nil, url: String? = nil, imageURL: String? = nil
        ) {
            self.externalID = externalID
            self.name = name
            self.priceCents = priceCents
            self.quantity = quantity
            self.category = category
            self.sku = sku
            self.url = url
            self.imageURL = imageURL
        }
    }

    package var externalID: String
    /// 0: historical (no automations, not on the dashboard); 1: real time.
    package var source: Int
    package var email: String
    package var connectionID: String
    package var customerID: String
    package var currency: String
    package var totalCents: Int64
    package var createdDate: String
    package var updatedDate: String?
    package var orderNumber: String?
    package var products: [Product]

    /// Creates an order.
    package init(
        externalID: String, source: Int, email: String, connectionID: String, customerID: String, currency: String,
        totalCents: Int64, createdDate: String, updatedDate: String? = nil, orderNumber: String? = nil,
        products: [Product]
    ) {
        self.externalID = externalID
        self.source = source
        self.email = email
        self.connectionID = connectionID
        self.customerID = customerID
        self.currency = currency
        self.totalCents = totalCents
        self.createdDate = createdDate
        self.updatedDate = updatedDate
        self.orderNumber = orderNumber
        self.products = products
    }

    var json: JSONValue {
        var o = JSONObjectBuilder()
        o.add("externalid", externalID)
        o.add("source", Int64(source))
        o.add("email", email)
        o.add("connectionid", connectionID)
        o.add("customerid", customerID)
        o.add("currency", currency)
        o.add("totalPrice", totalCents)
        o.add("externalCreatedDate", createdDate)
        o.add("externalUpdatedDate", updatedDate)
        o.add("orderNumber", orderNumber)
        o.add(
            "orderProducts",
            .array(
                products.map { product in
                    var p = JSONObjectBuilder()
                    p.add("externalid", product.externalID)
                    p.add("name", product.name)
                    p.add("price", product.priceCents)
                    p.add("quantity", product.quantity)
                    p.add("category", product.category)
                    p.add("sku", product.sku)
                    p.add("productUrl", product.url)
                    p.add("imageUrl", product.imageURL)
                    return p.object
                }))
        return o.object
    }
}

/// A contact of a bulk import: its current state whole (fields, the week's tag, the list).
package struct BulkContact: Sendable, Hashable {
    package var email: String
    package var firstName: String?
    package var lastName: String?
    package var phone: String?
    package var fields: [ContactValues.FieldValue]
    package var tags: [String]
    package var listID: String?

    /// Creates a contact.
    package init(
        email: String, firstName: String? = nil, lastName: String? = nil, phone: String? = nil,
        fields: [ContactValues.FieldValue] = [], tags: [String] = [], listID: String? = nil
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.fields = fields
        self.tags = tags
        self.listID = listID
    }

    var json: JSONValue {
        var c = JSONObjectBuilder()
        c.add("email", email)
        c.add("first_name", firstName)
        c.add("last_name", lastName)
        c.add("phone", phone)
        if !tags.isEmpty { c.add("tags", strings: tags) }
        if !fields.isEmpty {
            c.add(
                "fields",
                .array(
                    fields.map { .object([.init("id", .identifier($0.fieldID)), .init("value", .string($0.value))]) }))
        }
        if let listID { c.add("subscribe", .array([.object([.init("listid", .identifier(listID))])])) }
        return c.object
    }
}

extension JSONValue {
    /// An AC id where the API shows it as a number: a number when it is all digits, else a string.
    static func identifier(_ id: String) -> JSONValue {
        !id.isEmpty && id.utf8.count < 19 && id.utf8.allSatisfy({ (0x30...0x39).contains($0) })
            ? .number(id) : .string(id)
    }
}
