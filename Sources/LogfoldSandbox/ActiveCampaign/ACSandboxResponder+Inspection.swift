internal import Hummingbird

extension ACSandboxResponder {
    /// The counters `/sandbox/stats` reports, in order.
    static let statNames = [
        "requests", "accepted", "rejected", "rate_limited", "failed_injected", "forbidden", "events_accepted",
        "events_refused",
    ]

    /// `/sandbox/…`: inspection and control, never rate-limited, faulted or logged.
    func inspect(_ request: Request, path: String) async -> Response {
        let route = path.hasSuffix("/") ? String(path.dropLast()) : path
        do {
            switch (request.method, route) {
            case (.get, "/sandbox/contacts"):
                return SandboxResponse.lines(try await state.store.read { try Self.contacts($0) })
            case (.get, "/sandbox/events"):
                return SandboxResponse.lines(
                    try await state.store.read { objects in
                        try objects.events().map { event in
                            .object([
                                .init("email", .string(event.email)), .init("event", .string(event.event)),
                                .init("eventdata", event.eventdata.map(SandboxJSON.string) ?? .null),
                                .init("received_at_ms", .number(String(event.receivedAt))),
                            ])
                        }
                    })
            case (.get, "/sandbox/orders"):
                return SandboxResponse.lines(try await state.store.read { try $0.all("ecomOrder").map(\.doc) })
            case (.get, "/sandbox/requests"):
                return SandboxResponse.lines(try await state.store.read { try $0.requests() })
            case (.get, "/sandbox/stats"):
                let counters = try await state.store.read { try $0.counters() }
                let stats = SandboxJSON.object(Self.statNames.map { .init($0, .number(String(counters[$0] ?? 0))) })
                return SandboxResponse.json(200, stats, contentType: "application/json")
            case (.get, "/sandbox/faults"):
                return SandboxResponse.text(200, state.faults.description + "\n", contentType: "text/plain")
            case (.post, "/sandbox/faults"):
                var request = request
                let body = try await request.collectBody(upTo: 1 << 16)
                let spec = try FaultSpec.parse(String(buffer: body))
                state.setFaults(spec, seed: Self.query(request.uri.query)["seed"].flatMap { UInt64($0) })
                return SandboxResponse.text(200, spec.description + "\n", contentType: "text/plain")
            case (.post, "/sandbox/reset"):
                try await state.store.reset()
                return SandboxResponse.json(
                    200, .object([.init("reset", .bool(true))]), contentType: "application/json")
            default:
                return Self.answer(ACProblem.message(404, "No such sandbox endpoint: \(request.method) \(path)"))
            }
        } catch {
            return Self.answer(ACProblem.message(400, "\(error)"))
        }
    }

    /// Each contact as ActiveCampaign's contact page shows it: fields by title, tags, list statuses, the
    /// number of tracked events, orders, and the lifetime totals it computes from the orders.
    static func contacts(_ o: ACObjects) throws -> [SandboxJSON] {
        let fields = Dictionary(
            uniqueKeysWithValues: try o.all("field").map { (String($0.id), $0.doc.text("title") ?? "") })
        let tags = Dictionary(uniqueKeysWithValues: try o.all("tag").map { (String($0.id), $0.doc.text("tag") ?? "") })
        let lists = Dictionary(
            uniqueKeysWithValues: try o.all("list").map { (String($0.id), $0.doc.text("name") ?? "") })
        let values = try o.all("fieldValue").map(\.doc)
        let links = try o.all("contactTag").map(\.doc)
        let memberships = try o.all("contactList").map(\.doc)
        let orders = try o.all("ecomOrder").map(\.doc)
        var eventCounts: [String: Int] = [:]
        for event in try o.events() { eventCounts[event.email.lowercased(), default: 0] += 1 }
        return try o.all("contact").map { contact in
            let id = String(contact.id)
            let email = contact.doc.text("email") ?? ""
            let own = orders.filter { $0.text("email")?.lowercased() == email.lowercased() }
            let revenue = own.compactMap { Int64($0.text("totalPrice") ?? "") }.reduce(0, +)
            let fieldMembers: [SandboxJSON.Member] = values.filter { $0.text("contact") == id }.map {
                .init(fields[$0.text("field") ?? ""] ?? "?", $0["value"] ?? .null)
            }
            let tagNames: [SandboxJSON] = links.filter { $0.text("contact") == id }.map {
                .string(tags[$0.text("tag") ?? ""] ?? "?")
            }
            let listMembers: [SandboxJSON.Member] = memberships.filter { $0.text("contact") == id }.map {
                .init(
                    lists[$0.text("list") ?? ""] ?? "?", .string($0.text("status") == "1" ? "active" : "unsubscribed"))
            }
            let average = own.isEmpty ? 0 : revenue / Int64(own.count)
            var members: [SandboxJSON.Member] = [.init("id", .string(id)), .init("email", .string(email))]
            members.append(.init("first_name", contact.doc["firstName"] ?? .null))
            members.append(.init("last_name", contact.doc["lastName"] ?? .null))
            members.append(.init("phone", contact.doc["phone"] ?? .null))
            members.append(.init("fields", .object(fieldMembers)))
            members.append(.init("tags", .array(tagNames)))
            members.append(.init("lists", .object(listMembers)))
            members.append(.init("events", .number(String(eventCounts[email.lowercased()] ?? 0))))
            members.append(.init("orders", .array(own)))
            members.append(.init("total_revenue", .number(String(revenue))))
            members.append(.init("total_orders", .number(String(own.count))))
            members.append(.init("avg_revenue_per_order", .number(String(average))))
            return SandboxJSON.object(members)
        }
    }
}
