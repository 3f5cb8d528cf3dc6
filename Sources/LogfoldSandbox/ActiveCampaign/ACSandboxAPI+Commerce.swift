extension ACSandboxAPI {
    /// `POST /ecomOrders` (`id` nil) or `PUT /ecomOrders/ID`: an order with every required field and at
    /// least one product; a second create of an external id in a connection is refused as `duplicate`.
    func saveOrder(_ body: SandboxJSON?, id: String?, _ o: ACObjects) throws -> (status: Int, body: SandboxJSON) {
        let order = try require(
            body, "ecomOrder",
            [
                "externalid", "source", "email", "connectionid", "customerid", "currency", "totalPrice",
                "externalCreatedDate",
            ])
        guard ["0", "1"].contains(order.text("source") ?? "") else {
            throw ACProblem.invalid("source must be 0 or 1", code: "field_invalid", pointer: "/data/attributes/source")
        }
        guard Int64(order.text("totalPrice") ?? "") != nil else {
            throw ACProblem.invalid(
                "totalPrice must be an integer number of cents", code: "field_invalid",
                pointer: "/data/attributes/totalPrice")
        }
        let products = order["orderProducts"]?.arrayElements ?? []
        guard !products.isEmpty else {
            throw ACProblem.invalid(
                "orderProducts is required", code: "field_missing", pointer: "/data/attributes/orderProducts")
        }
        for (index, product) in products.enumerated() {
            for name in ["name", "price", "quantity", "externalid"] where (product.text(name) ?? "").isEmpty {
                throw ACProblem.invalid(
                    "\(name) is required", code: "field_missing",
                    pointer: "/data/attributes/orderProducts/\(index)/\(name)")
            }
            guard Int64(product.text("price") ?? "") != nil else {
                throw ACProblem.invalid(
                    "price must be an integer number of cents", code: "field_invalid",
                    pointer: "/data/attributes/orderProducts/\(index)/price")
            }
        }
        guard let customer = Int64(order.text("customerid") ?? ""), try o.get("ecomCustomer", id: customer) != nil
        else {
            throw ACProblem.notFound("EcomCustomer", order.text("customerid") ?? "")
        }
        let key = "\(order.text("connectionid") ?? "")|\(order.text("externalid") ?? "")"
        let stamped = order.setting([
            .init("orderDate", order["externalCreatedDate"] ?? .null), .init("udate", .number(String(now))),
        ])
        if let id {
            guard let number = Int64(id), let existing = try o.get("ecomOrder", id: number) else {
                throw ACProblem.notFound("EcomOrder", id)
            }
            guard existing.key == key else {
                throw ACProblem.invalid(
                    "externalid cannot change", code: "field_invalid", pointer: "/data/attributes/externalid")
            }
            let updated = stamped.setting([.init("id", .string(id))])
            try o.replace("ecomOrder", id: number, updated)
            return (200, .object([.init("ecomOrder", updated)]))
        }
        guard try o.find("ecomOrder", key: key) == nil else {
            throw ACProblem.invalid(
                "An order with this externalid already exists", code: "duplicate",
                pointer: "/data/attributes/externalid")
        }
        let created = try o.create("ecomOrder", key: key) { stamped.setting([.init("id", .string(String($0)))]) }
        return (201, .object([.init("ecomOrder", try o.get("ecomOrder", id: created)?.doc ?? .null)]))
    }

    /// `POST /import/bulk_import`: up to 250 contacts, upserted with their fields, tags and list.
    ///
    /// Tags are created when missing. The list is a subscription; an unsubscribed contact stays
    /// unsubscribed, as ActiveCampaign's import cannot re-subscribe. Answered at once; the batch reads as
    /// completed.
    func bulkImport(_ body: SandboxJSON?, _ o: ACObjects) throws -> (status: Int, body: SandboxJSON) {
        let contacts = body?["contacts"]?.arrayElements ?? []
        guard !contacts.isEmpty, contacts.count <= 250 else {
            throw ACProblem(
                status: 400,
                body: .object([
                    .init("success", .number("0")),
                    .init(
                        "failureReasons",
                        .array([.string("between 1 and 250 contacts per request, got \(contacts.count)")])),
                ]))
        }
        var failures: [SandboxJSON] = []
        for (index, contact) in contacts.enumerated() where !(contact.text("email") ?? "").contains("@") {
            failures.append(.string("contacts[\(index)]: a valid email is required"))
        }
        guard failures.isEmpty else {
            throw ACProblem(
                status: 400, body: .object([.init("success", .number("0")), .init("failureReasons", .array(failures))]))
        }
        var emails: [SandboxJSON] = []
        for contact in contacts {
            let email = contact.text("email") ?? ""
            var sync: [SandboxJSON.Member] = [.init("email", .string(email))]
            for (from, to) in [("first_name", "firstName"), ("last_name", "lastName"), ("phone", "phone")] {
                if let value = contact.text(from) { sync.append(.init(to, .string(value))) }
            }
            let values = (contact["fields"]?.arrayElements ?? []).map { field in
                SandboxJSON.object([
                    .init("field", .string(field.text("id") ?? "")), .init("value", field["value"] ?? .string("")),
                ])
            }
            sync.append(.init("fieldValues", .array(values)))
            let synced = try handle(
                "POST", ["contact", "sync"], query: [:], body: .object([.init("contact", .object(sync))]), o)
            let contactID = synced.body["contact"]?.text("id") ?? ""
            for name in (contact["tags"]?.arrayElements ?? []).compactMap(\.stringValue) {
                let tagID =
                    try o.find("tag", key: name)?.id
                    ?? o.create("tag", key: name) { id in
                        .object([
                            .init("id", .string(String(id))), .init("tag", .string(name)),
                            .init("tagType", .string("contact")),
                        ])
                    }
                _ = try handle(
                    "POST", ["contactTags"], query: [:],
                    body: .object([
                        .init(
                            "contactTag",
                            .object([.init("contact", .string(contactID)), .init("tag", .string(String(tagID)))]))
                    ]), o)
            }
            for subscription in contact["subscribe"]?.arrayElements ?? [] {
                let listID = subscription.text("listid") ?? ""
                if let existing = try o.find("contactList", key: "\(contactID)|\(listID)"),
                    existing.doc.text("status") == "2"
                {
                    continue
                }
                _ = try handle(
                    "POST", ["contactLists"], query: [:],
                    body: .object([
                        .init(
                            "contactList",
                            .object([
                                .init("list", .string(listID)), .init("contact", .string(contactID)),
                                .init("status", .number("1")),
                            ]))
                    ]), o)
            }
            emails.append(.string(email))
        }
        let batch = "batch-\(try o.all("import").count + 1)"
        _ = try o.create("import", key: batch) { _ in
            .object([
                .init("status", .string("completed")), .init("success", .array(emails)), .init("failure", .array([])),
            ])
        }
        return (
            200,
            .object([
                .init("success", .number("1")), .init("queued_contacts", .number(String(contacts.count))),
                .init("batchId", .string(batch)),
            ])
        )
    }
}
