internal import Foundation

/// The ActiveCampaign v3 calls logfold makes, answered from the sandbox's objects
/// (activecampaign-api.md's shapes: a resource under its singular key, lists under the plural with
/// `meta.total`, ids as strings).
struct ACSandboxAPI {
    /// The sandbox clock's reading, Unix milliseconds.
    let now: Int64

    /// Answers `METHOD /api/3/PATH`; throws an ``ACProblem`` for anything but success.
    func handle(
        _ method: String, _ segments: [String], query: [String: String], body: SandboxJSON?, _ o: ACObjects
    ) throws -> (status: Int, body: SandboxJSON) {
        switch (method, segments.first ?? "", segments.count) {
        case ("POST", "contact", 2) where segments[1] == "sync": return try syncContact(body, o)
        case ("GET", "contacts", 1):
            return list(
                "contacts",
                try o.all("contact").filter { query["email"] == nil || $0.key == query["email"]?.lowercased() }.map(
                    \.doc))
        case ("GET", "contacts", 2): return (200, .object([.init("contact", try contact(segments[1], o).doc)]))
        case ("GET", "contacts", 3) where segments[2] == "contactTags":
            _ = try contact(segments[1], o)
            return list("contactTags", try o.all("contactTag").map(\.doc).filter { $0.text("contact") == segments[1] })
        case ("GET", "fields", 1):
            let fields = try o.all("field").map(\.doc)
            let offset = Int(query["offset"] ?? "") ?? 0
            let limit = min(100, Int(query["limit"] ?? "") ?? 20)
            return list("fields", Array(fields.dropFirst(offset).prefix(limit)), total: fields.count)
        case ("POST", "fields", 1): return try createField(body, o)
        case ("POST", "fieldRels", 1):
            let rel = try require(body, "fieldRel", ["field", "relid"])
            let id = try o.create("fieldRel", key: "\(rel.text("field") ?? "")|\(rel.text("relid") ?? "")") {
                rel.setting([.init("id", .string(String($0)))])
            }
            return (201, .object([.init("fieldRel", rel.setting([.init("id", .string(String(id)))]))]))
        case ("GET", "lists", 1):
            let name = query["filters[name]"]
            return list("lists", try o.all("list").map(\.doc).filter { name == nil || $0.text("name") == name })
        case ("POST", "lists", 1):
            return try create(
                "list", wrapper: "list", body, required: ["name", "stringid", "sender_url", "sender_reminder"],
                key: { $0.text("name") ?? "" }, o)
        case ("POST", "contactLists", 1): return try setListStatus(body, o)
        case ("GET", "tags", 1):
            let exact = query["filters[search][eq]"]
            let search = query["search"]
            return list(
                "tags",
                try o.all("tag").map(\.doc).filter { tag in
                    let name = tag.text("tag") ?? ""
                    if let exact { return name == exact }
                    if let search { return name.localizedCaseInsensitiveContains(search) }
                    return true
                })
        case ("POST", "tags", 1):
            return try create("tag", wrapper: "tag", body, required: ["tag"], key: { $0.text("tag") ?? "" }, o)
        case ("POST", "contactTags", 1): return try addTag(body, o)
        case ("DELETE", "contactTags", 2):
            guard let id = Int64(segments[1]), try o.delete("contactTag", id: id) else {
                throw ACProblem.notFound("ContactTag", segments[1])
            }
            return (200, .object([]))
        case ("GET", "connections", 1):
            return list("connections", try filtered("connection", query, ["service", "externalid"], o))
        case ("POST", "connections", 1):
            return try create(
                "connection", wrapper: "connection", body,
                required: ["service", "externalid", "name", "logoUrl", "linkUrl"],
                key: { "\($0.text("service") ?? "")|\($0.text("externalid") ?? "")" }, o)
        case ("GET", "ecomCustomers", 1):
            return list(
                "ecomCustomers", try filtered("ecomCustomer", query, ["connectionid", "externalid", "email"], o))
        case ("POST", "ecomCustomers", 1):
            let customer = try require(body, "ecomCustomer", ["connectionid", "externalid", "email"])
            guard try o.get("connection", id: Int64(customer.text("connectionid") ?? "") ?? 0) != nil else {
                throw ACProblem.notFound("Connection", customer.text("connectionid") ?? "")
            }
            return try create(
                "ecomCustomer", wrapper: "ecomCustomer", body, required: [],
                key: { "\($0.text("connectionid") ?? "")|\($0.text("externalid") ?? "")" }, o)
        case ("GET", "ecomOrders", 1):
            return list("ecomOrders", try filtered("ecomOrder", query, ["connectionid", "externalid", "email"], o))
        case ("POST", "ecomOrders", 1): return try saveOrder(body, id: nil, o)
        case ("PUT", "ecomOrders", 2): return try saveOrder(body, id: segments[1], o)
        case ("DELETE", "ecomOrders", 2):
            guard let id = Int64(segments[1]), try o.delete("ecomOrder", id: id) else {
                throw ACProblem.notFound("EcomOrder", segments[1])
            }
            return (200, .object([]))
        case ("POST", "import", 2) where segments[1] == "bulk_import": return try bulkImport(body, o)
        case ("GET", "import", 2) where segments[1] == "info":
            guard let batch = query["batchId"], let found = try o.find("import", key: batch) else {
                throw ACProblem.message(404, "No import with batchId \(query["batchId"] ?? "")")
            }
            return (200, found.doc)
        default:
            throw ACProblem.message(404, "No route for \(method) /api/3/\(segments.joined(separator: "/"))")
        }
    }

    // MARK: Contacts

    private func syncContact(_ body: SandboxJSON?, _ o: ACObjects) throws -> (status: Int, body: SandboxJSON) {
        guard let c = body?["contact"], let email = c.text("email"), !email.isEmpty else {
            throw ACProblem.invalid("Email is required", code: "field_missing", pointer: "/data/attributes/email")
        }
        guard email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@") else {
            throw ACProblem.invalid(
                "Email address is invalid", code: "email_invalid", pointer: "/data/attributes/email")
        }
        var set: [SandboxJSON.Member] = [.init("email", .string(email)), .init("udate", .number(String(now)))]
        for name in ["firstName", "lastName", "phone"] {
            if let value = c.text(name) { set.append(.init(name, .string(value))) }
        }
        let values = c["fieldValues"]?.arrayElements ?? []
        for (index, value) in values.enumerated() {
            guard let field = value.text("field"), let fieldID = Int64(field), try o.get("field", id: fieldID) != nil
            else {
                throw ACProblem.invalid(
                    "Field not found", code: "field_invalid", pointer: "/data/attributes/fieldValues/\(index)/field")
            }
        }
        let status: Int
        let contactID: Int64
        if let existing = try o.find("contact", key: email.lowercased()) {
            contactID = existing.id
            try o.replace("contact", id: existing.id, existing.doc.setting(set))
            status = 200
        } else {
            contactID = try o.create("contact", key: email.lowercased()) { id in
                SandboxJSON.object([.init("id", .string(String(id))), .init("cdate", .number(String(now)))]).setting(
                    set)
            }
            status = 201
        }
        var stored: [SandboxJSON] = []
        for value in values {
            let field = value.text("field") ?? ""
            let doc = SandboxJSON.object([
                .init("contact", .string(String(contactID))), .init("field", .string(field)),
                .init("value", .string(value.text("value") ?? "")),
            ])
            let key = "\(contactID)|\(field)"
            if let existing = try o.find("fieldValue", key: key) {
                try o.replace("fieldValue", id: existing.id, doc.setting([.init("id", .string(String(existing.id)))]))
            } else {
                _ = try o.create("fieldValue", key: key) { doc.setting([.init("id", .string(String($0)))]) }
            }
            stored.append(doc)
        }
        let contact = try o.get("contact", id: contactID)?.doc ?? .null
        return (status, .object([.init("fieldValues", .array(stored)), .init("contact", contact)]))
    }

    private func contact(_ id: String, _ o: ACObjects) throws -> (key: String, doc: SandboxJSON) {
        guard let number = Int64(id), let found = try o.get("contact", id: number) else {
            throw ACProblem.notFound("Subscriber", id)
        }
        return found
    }

    private func createField(_ body: SandboxJSON?, _ o: ACObjects) throws -> (status: Int, body: SandboxJSON) {
        let field = try require(body, "field", ["title", "type"])
        let types = ["text", "textarea", "date", "datetime", "dropdown", "listbox", "radio", "checkbox", "hidden"]
        guard types.contains(field.text("type") ?? "") else {
            throw ACProblem.invalid("Field type is invalid", code: "field_invalid", pointer: "/data/attributes/type")
        }
        if let tag = field.text("perstag"),
            try o.all("field").contains(where: { $0.doc.text("perstag")?.uppercased() == tag.uppercased() })
        {
            throw ACProblem.invalid(
                "Personalization tag already exists", code: "duplicate", pointer: "/data/attributes/perstag")
        }
        return try create("field", wrapper: "field", body, required: [], key: { $0.text("title") ?? "" }, o)
    }

    // MARK: Lists and tags

    private func setListStatus(_ body: SandboxJSON?, _ o: ACObjects) throws -> (status: Int, body: SandboxJSON) {
        let membership = try require(body, "contactList", ["list", "contact", "status"])
        let contactID = membership.text("contact") ?? ""
        let listID = membership.text("list") ?? ""
        _ = try contact(contactID, o)
        guard let number = Int64(listID), try o.get("list", id: number) != nil else {
            throw ACProblem.notFound("List", listID)
        }
        guard ["1", "2"].contains(membership.text("status") ?? "") else {
            throw ACProblem.invalid("Status is invalid", code: "field_invalid", pointer: "/data/attributes/status")
        }
        let doc = SandboxJSON.object([
            .init("contact", .string(contactID)), .init("list", .string(listID)),
            .init("status", .number(membership.text("status") ?? "1")), .init("udate", .number(String(now))),
        ])
        let key = "\(contactID)|\(listID)"
        if let existing = try o.find("contactList", key: key) {
            let updated = doc.setting([.init("id", .string(String(existing.id)))])
            try o.replace("contactList", id: existing.id, updated)
            return (200, .object([.init("contactList", updated)]))
        }
        let id = try o.create("contactList", key: key) { doc.setting([.init("id", .string(String($0)))]) }
        return (201, .object([.init("contactList", doc.setting([.init("id", .string(String(id)))]))]))
    }

    private func addTag(_ body: SandboxJSON?, _ o: ACObjects) throws -> (status: Int, body: SandboxJSON) {
        let link = try require(body, "contactTag", ["contact", "tag"])
        let contactID = link.text("contact") ?? ""
        let tagID = link.text("tag") ?? ""
        _ = try contact(contactID, o)
        guard let number = Int64(tagID), try o.get("tag", id: number) != nil else {
            throw ACProblem.notFound("Tag", tagID)
        }
        let key = "\(contactID)|\(tagID)"
        // Tagging a contact twice: the existing link (ActiveCampaign does not document it; one link stays).
        if let existing = try o.find("contactTag", key: key) {
            return (200, .object([.init("contactTag", existing.doc)]))
        }
        let id = try o.create("contactTag", key: key) { id in
            .object([
                .init("id", .string(String(id))), .init("contact", .string(contactID)), .init("tag", .string(tagID)),
                .init("cdate", .number(String(now))),
            ])
        }
        return (201, .object([.init("contactTag", try o.get("contactTag", id: id)?.doc ?? .null)]))
    }

    // MARK: Helpers

    /// The object under `wrapper` with every `required` member present, or a 422 naming the first missing.
    func require(_ body: SandboxJSON?, _ wrapper: String, _ required: [String]) throws -> SandboxJSON {
        guard let object = body?[wrapper], object.objectMembers != nil else {
            throw ACProblem.invalid("\(wrapper) is required", code: "field_missing", pointer: "/data/attributes")
        }
        for name in required where (object.text(name) ?? "").isEmpty {
            throw ACProblem.invalid("\(name) is required", code: "field_missing", pointer: "/data/attributes/\(name)")
        }
        return object
    }

    /// Creates the `wrapper` object of `body` as `kind` under the key `key` makes of it; 422 `duplicate`
    /// when the key is taken.
    func create(
        _ kind: String, wrapper: String, _ body: SandboxJSON?, required: [String], key: (SandboxJSON) -> String,
        _ o: ACObjects
    ) throws -> (status: Int, body: SandboxJSON) {
        let object = try require(body, wrapper, required)
        let naturalKey = key(object)
        guard try o.find(kind, key: naturalKey) == nil else {
            throw ACProblem.invalid("\(wrapper) already exists", code: "duplicate", pointer: "/data/attributes")
        }
        let id = try o.create(kind, key: naturalKey) { object.setting([.init("id", .string(String($0)))]) }
        return (201, .object([.init(wrapper, try o.get(kind, id: id)?.doc ?? .null)]))
    }

    /// `kind`'s documents whose `filters[NAME]` members match the query.
    func filtered(_ kind: String, _ query: [String: String], _ names: [String], _ o: ACObjects) throws -> [SandboxJSON]
    {
        try o.all(kind).map(\.doc).filter { doc in
            names.allSatisfy { name in query["filters[\(name)]"].map { doc.text(name) == $0 } ?? true }
        }
    }

    /// A list answer: the plural key and `meta.total`.
    func list(_ plural: String, _ items: [SandboxJSON], total: Int? = nil) -> (status: Int, body: SandboxJSON) {
        (
            200,
            .object([
                .init(plural, .array(items)),
                .init("meta", .object([.init("total", .string(String(total ?? items.count)))])),
            ])
        )
    }
}
