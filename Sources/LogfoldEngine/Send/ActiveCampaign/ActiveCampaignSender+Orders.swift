import Foundation
import LogfoldActiveCampaign
import LogfoldDomain
import LogfoldStore
import Logging

extension ActiveCampaignSender {
    /// Finds or makes what every run needs once: the four custom fields (with their relation to every
    /// list), the "All Customers" list and the store's Deep Data connection.
    func ensureSetup() async throws {
        var known: [String: String] = [:]
        var offset = 0
        while true {
            let (answer, response) = try await call(ActiveCampaignRequests.fields(offset: offset))
            guard case .accepted = answer else { break }
            let page = Self.objects(response.body, "fields")
            for field in page {
                if let tag = (field["perstag"] as? String)?.uppercased(), let id = Self.text(field["id"]) {
                    known[tag] = id
                }
            }
            guard page.count == 100 else { break }
            offset += 100
        }
        for field in ActiveCampaignFields.all {
            if let id = known[field.tag] {
                try store.saveActiveCampaignID("field", field.tag, id)
                continue
            }
            let (answer, response) = try await call(
                ActiveCampaignRequests.createField(title: field.title, type: field.type, personalizationTag: field.tag))
            guard case .accepted = answer, let id = Self.id(response.body, "field") else {
                throw EngineError(
                    .configuration, "ActiveCampaign would not create the custom field \(field.title): \(answer)",
                    remedy: "create it by hand with the personalization tag %\(field.tag)%, then send again")
            }
            _ = try await call(ActiveCampaignRequests.relateToAllLists(fieldID: id))
            try store.saveActiveCampaignID("field", field.tag, id)
        }
        let list = try await remembered("list", "All Customers") {
            try await findOrCreate(
                ActiveCampaignRequests.findList(named: "All Customers"), "lists",
                create: ActiveCampaignRequests.createList(
                    name: "All Customers", stringID: "all-customers", senderURL: options.storeURL,
                    senderReminder: "You are receiving this as a customer of \(options.storeName)."), "list")
        }
        guard list != nil else {
            throw EngineError(
                .configuration, "ActiveCampaign has no list All Customers and would not create it",
                remedy: "create it by hand, then send again")
        }
        let connection = try await remembered("connection", "store") {
            try await findOrCreate(
                ActiveCampaignRequests.findConnection(service: "logfold", externalID: options.storeName), "connections",
                create: ActiveCampaignRequests.createConnection(
                    service: "logfold", externalID: options.storeName, name: options.storeName,
                    logoURL: options.storeURL + "/favicon.ico", linkURL: options.storeURL), "connection")
        }
        guard connection != nil else {
            throw EngineError(
                .configuration, "ActiveCampaign would not make the Deep Data connection",
                remedy: "check that Deep Data is enabled for the account")
        }
    }

    /// The id remembered under `kind` and `key`, or the one `lookup` finds or makes (then remembered).
    func remembered(_ kind: String, _ key: String, lookup: () async throws -> String?) async throws -> String? {
        if let id = try store.activeCampaignID(kind, key) { return id }
        guard let id = try await lookup() else { return nil }
        try store.saveActiveCampaignID(kind, key, id)
        return id
    }

    /// The id of the first object `find` lists under `plural` that `matches`, or of the one `create`
    /// makes (under `wrapper`); `nil` when ActiveCampaign refuses both.
    func findOrCreate(
        _ find: ActiveCampaignCall, _ plural: String, matching matches: ([String: Any]) -> Bool = { _ in true },
        create: ActiveCampaignCall, _ wrapper: String
    ) async throws -> String? {
        let (found, response) = try await call(find)
        if case .accepted = found,
            let id = Self.objects(response.body, plural).first(where: matches).flatMap({ Self.text($0["id"]) })
        {
            return id
        }
        let (created, body) = try await call(create)
        guard case .accepted = created else { return nil }
        return Self.id(body.body, wrapper)
    }

    /// Creates a paid order, or replaces it with its correction.
    func saveOrder(_ message: [String: Any], email: String, row: ActiveCampaignOutboxRow) async throws
        -> (ActiveCampaignAnswer, String)
    {
        guard let connection = try store.activeCampaignID("connection", "store"),
            let orderID = message["order_id"] as? String
        else { return (.rejected("no Deep Data connection or order id"), "") }
        guard
            let customer = try await ecomCustomer(row.customerID, email: email, connection: connection)
        else { return (.rejected("ActiveCampaign would not make the e-commerce customer for \(email)"), "") }
        var known = try store.activeCampaignID("order", orderID)
        if known == nil, row.kind == .orderCorrection || uncertainOrders.contains(row.ordinal) {
            // A create whose answer was lost, or an order made by an earlier store: ActiveCampaign has no
            // dedupe key for orders, so ask before creating it again.
            let (_, found) = try await call(
                ActiveCampaignRequests.findOrder(connectionID: connection, externalID: orderID))
            known = Self.objects(found.body, "ecomOrders").first.flatMap { Self.text($0["id"]) }
            if let known { try store.saveActiveCampaignID("order", orderID, known) }
        }
        if row.kind == .order, known != nil { return (.accepted, "already in ActiveCampaign") }
        let updated = (message["updated_at"] as? String).flatMap(RFC3339.parse)?.unixSeconds ?? 0
        let source =
            row.kind == .orderCorrection
            ? Int(try store.activeCampaignID("order_source", orderID) ?? "0") ?? 0
            : (options.history || now() - updated > options.liveWindowSeconds ? 0 : 1)
        let order = EcommerceOrder(
            externalID: orderID, source: source, email: email, connectionID: connection, customerID: customer,
            currency: message["currency"] as? String ?? "USD", totalCents: Self.cents(message["total"]),
            createdDate: message["created_at"] as? String ?? "", updatedDate: message["updated_at"] as? String,
            orderNumber: orderID,
            products: (message["products"] as? [[String: Any]] ?? []).map { product in
                EcommerceOrder.Product(
                    externalID: product["externalid"] as? String ?? "", name: product["name"] as? String ?? "Item",
                    priceCents: Self.cents(product["price"]),
                    quantity: (product["quantity"] as? NSNumber)?.int64Value ?? 1,
                    category: product["category"] as? String, sku: product["sku"] as? String,
                    url: product["url"] as? String,
                    imageURL: product["image_url"] as? String)
            })
        if row.kind == .orderCorrection {
            guard let known else {
                return (.rejected("order \(orderID) is not in ActiveCampaign: nothing to correct"), "")
            }
            return (try await call(ActiveCampaignRequests.updateOrder(activeCampaignID: known, order)).0, "accepted")
        }
        let (answer, response) = try await call(ActiveCampaignRequests.createOrder(order))
        if case .accepted = answer, let id = Self.id(response.body, "ecomOrder") {
            try store.saveActiveCampaignID("order", orderID, id)
            try store.saveActiveCampaignID("order_source", orderID, String(source))
        }
        return (answer, "accepted")
    }

    /// The customer's e-commerce customer id: remembered, found, or created.
    private func ecomCustomer(_ customerID: String, email: String, connection: String) async throws -> String? {
        try await remembered("customer", customerID) {
            try await findOrCreate(
                ActiveCampaignRequests.findCustomer(connectionID: connection, externalID: customerID), "ecomCustomers",
                create: ActiveCampaignRequests.createCustomer(
                    connectionID: connection, externalID: customerID, email: email),
                "ecomCustomer")
        }
    }

    /// A decimal amount (a JSON number in the stored message) in integer cents.
    static func cents(_ value: Any?) -> Int64 {
        let text = (value as? NSNumber)?.stringValue ?? (value as? String) ?? "0"
        return Money(decimalLiteral: text)?.cents ?? 0
    }
}
