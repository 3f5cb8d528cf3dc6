import AsyncHTTPClient
import Foundation
import LogfoldActiveCampaign
import LogfoldSandbox
import LogfoldTestSupport
import NIOCore
import NIOHTTP1
import Testing

/// The local ActiveCampaign in-process over loopback, driven with the exact calls logfold's
/// ActiveCampaign module builds (so the two agree on every shape).
struct ACSandbox: Sendable {
    let port: Int
    var token = "ac-token"

    static func with(
        directory: TemporaryDirectory? = nil, _ configure: (inout ACSandboxConfiguration) -> Void = { _ in },
        _ body: (ACSandbox) async throws -> Void
    ) async throws {
        let directory = try directory ?? TemporaryDirectory(prefix: "logfold-ac-sandbox")
        var configuration = ACSandboxConfiguration(statePath: directory.file("ac.sqlite"))
        configuration.port = 0
        configuration.apiToken = "ac-token"
        configuration.eventAccount = "123"
        configuration.eventKey = "event-key"
        configuration.requestsPerSecond = nil
        configuration.faultsSeed = 1
        configure(&configuration)
        let server = try ACSandboxServer(configuration: configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await server.run { continuation.yield($0) }
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                Issue.record("the sandbox stopped before listening")
                return
            }
            do {
                try await body(ACSandbox(port: port))
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
            try await group.waitForAll()
        }
        _ = directory
    }

    /// Sends `call` as the sender would: `/api/3` + its path with `Api-Token`, or the tracking form.
    func send(_ call: ActiveCampaignCall, token: String? = nil) async throws -> Answer {
        let url: String
        switch call.target {
        case .api(let path): url = "http://127.0.0.1:\(port)/api/3" + path
        case .tracking: url = "http://127.0.0.1:\(port)/event"
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: call.method.rawValue)
        if case .api = call.target { request.headers.add(name: "Api-Token", value: token ?? self.token) }
        if let type = call.contentType {
            request.headers.add(name: "Content-Type", value: type)
            request.body = .bytes(ByteBuffer(bytes: call.body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    /// The id in `answer` under `wrapper`.
    func id(_ answer: Answer, _ wrapper: String) -> String { answer.json?[wrapper]?["id"]?.stringValue ?? "?" }

    func lines(_ path: String) async throws -> [SandboxJSON] {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)" + path)
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = String(buffer: try await response.body.collect(upTo: 16 << 20))
        return try body.split(separator: "\n").map { try SandboxJSON.parse(String($0)) }
    }
}

@Suite struct ActiveCampaignSandboxTests {
    @Test("a contact synced with fields, subscribed, tagged and re-tagged: one tag, current fields, list status")
    func contactLifecycle() async throws {
        try await ACSandbox.with { ac in
            let status = try await ac.send(
                ActiveCampaignRequests.createField(title: "Status", type: "text", personalizationTag: "STATUS"))
            #expect(status.status == 201)
            let fieldID = ac.id(status, "field")
            let sync = ActiveCampaignRequests.contactSync(
                ContactValues(
                    email: "ann@example.com", firstName: "Ann", lastName: "Lee",
                    fields: [.init(fieldID: fieldID, value: "Active")]))
            let created = try await ac.send(sync)
            #expect(created.status == 201)
            let contactID = ac.id(created, "contact")
            let cleared = ActiveCampaignRequests.contactSync(
                ContactValues(email: "ANN@example.com", lastName: "", fields: [.init(fieldID: fieldID, value: "")]))
            #expect(try await ac.send(cleared).status == 200, "the same contact, found by email whatever its case")
            let list = try await ac.send(
                ActiveCampaignRequests.createList(
                    name: "All Customers", stringID: "all-customers", senderURL: "https://shop.example",
                    senderReminder: "You signed up"))
            #expect(
                try await ac.send(
                    ActiveCampaignRequests.listStatus(
                        listID: ac.id(list, "list"), contactID: contactID, subscribed: true)
                ).status == 201)
            #expect(
                try await ac.send(
                    ActiveCampaignRequests.listStatus(
                        listID: ac.id(list, "list"), contactID: contactID, subscribed: false)
                ).status == 200)
            let open = ac.id(try await ac.send(ActiveCampaignRequests.createTag(named: "open order")), "tag")
            let closed = ac.id(try await ac.send(ActiveCampaignRequests.createTag(named: "closed order")), "tag")
            #expect(try await ac.send(ActiveCampaignRequests.createTag(named: "open order")).status == 422)
            let found = try await ac.send(ActiveCampaignRequests.findTag(named: "open order"))
            #expect(found.json?["tags"]?.arrayElements?.count == 1)
            let first = ac.id(
                try await ac.send(ActiveCampaignRequests.addTag(tagID: open, contactID: contactID)), "contactTag")
            #expect(try await ac.send(ActiveCampaignRequests.addTag(tagID: closed, contactID: contactID)).status == 201)
            #expect(try await ac.send(ActiveCampaignRequests.removeTag(contactTagID: first)).status == 200)
            #expect(try await ac.send(ActiveCampaignRequests.removeTag(contactTagID: first)).status == 404)

            let contacts = try await ac.lines("/sandbox/contacts")
            #expect(contacts.count == 1)
            let contact = try #require(contacts.first)
            #expect(contact["first_name"]?.stringValue == "Ann" && contact["last_name"]?.stringValue == "")
            #expect(contact["fields"]?["Status"]?.stringValue == "")
            #expect(contact["tags"]?.arrayElements == [.string("closed order")])
            #expect(contact["lists"]?["All Customers"]?.stringValue == "unsubscribed")
        }
    }

    @Test("a bad token is 403; the tracking endpoint answers 200 with success 0 or 1, and keeps the event")
    func authAndTracking() async throws {
        try await ACSandbox.with { ac in
            let sync = ActiveCampaignRequests.contactSync(ContactValues(email: "a@example.com"))
            #expect(try await ac.send(sync, token: "wrong").status == 403)
            let bad = try await ac.send(
                ActiveCampaignRequests.trackEvent(
                    account: "123", key: "nope", name: "Logged in", data: nil, email: "a@example.com"))
            #expect(bad.status == 200 && bad.json?["success"] == .number("0"))
            let long = try await ac.send(
                ActiveCampaignRequests.trackEvent(
                    account: "123", key: "event-key", name: String(repeating: "x", count: 33), data: nil,
                    email: "a@example.com"))
            #expect(long.json?["success"] == .number("0"))
            let good = try await ac.send(
                ActiveCampaignRequests.trackEvent(
                    account: "123", key: "event-key", name: "Logged in", data: #"{"time":"2020-05-15T13:03:56-04:00"}"#,
                    email: "a@example.com"))
            #expect(good.json?["success"] == .number("1"))
            let events = try await ac.lines("/sandbox/events")
            #expect(events.count == 1)
            #expect(events.first?["event"]?.stringValue == "Logged in")
            #expect(events.first?["eventdata"]?.stringValue == #"{"time":"2020-05-15T13:03:56-04:00"}"#)
        }
    }

    @Test("five requests a second for the whole account: the sixth is 429 with Retry-After, the next second admits")
    func accountRateLimit() async throws {
        let clock = ManualClock()
        try await ACSandbox.with({
            $0.requestsPerSecond = 5
            $0.clock = clock.sandboxClock
        }) { ac in
            let call = ActiveCampaignRequests.findTag(named: "x")
            for _ in 0..<5 { #expect(try await ac.send(call).status == 200) }
            let throttled = try await ac.send(
                ActiveCampaignRequests.trackEvent(
                    account: "123", key: "event-key", name: "x", data: nil, email: "a@b.c"))
            #expect(throttled.status == 429 && throttled.header("Retry-After") == "1", "tracking counts too")
            clock.advance(milliseconds: 1_000)
            #expect(try await ac.send(call).status == 200)
        }
    }

    @Test(
        "Deep Data: a second create of an order is a duplicate; it is found by external id; a correction changes the totals"
    )
    func deepData() async throws {
        try await ACSandbox.with { ac in
            _ = try await ac.send(ActiveCampaignRequests.contactSync(ContactValues(email: "ann@example.com")))
            let connection = ac.id(
                try await ac.send(
                    ActiveCampaignRequests.createConnection(
                        service: "logfold", externalID: "shop", name: "Shop", logoURL: "https://shop.example/logo.png",
                        linkURL: "https://shop.example")), "connection")
            let customer = ac.id(
                try await ac.send(
                    ActiveCampaignRequests.createCustomer(
                        connectionID: connection, externalID: "1", email: "ann@example.com")),
                "ecomCustomer")
            var order = EcommerceOrder(
                externalID: "9001", source: 0, email: "ann@example.com", connectionID: connection, customerID: customer,
                currency: "USD", totalCents: 4795, createdDate: "2020-05-15T13:03:56-04:00",
                products: [.init(externalID: "9001_1", name: "Box", priceCents: 4795, quantity: 1, category: "sub")])
            let created = try await ac.send(ActiveCampaignRequests.createOrder(order))
            #expect(created.status == 201)
            let again = try await ac.send(ActiveCampaignRequests.createOrder(order))
            #expect(again.status == 422 && again.codes == ["duplicate"])
            let found = try await ac.send(
                ActiveCampaignRequests.findOrder(connectionID: connection, externalID: "9001"))
            #expect(found.json?["ecomOrders"]?.arrayElements?.count == 1)
            var contact = try #require(try await ac.lines("/sandbox/contacts").first)
            #expect(contact["total_revenue"] == .number("4795") && contact["total_orders"] == .number("1"))
            order.totalCents = 0
            #expect(
                try await ac.send(
                    ActiveCampaignRequests.updateOrder(activeCampaignID: ac.id(created, "ecomOrder"), order)
                ).status == 200)
            contact = try #require(try await ac.lines("/sandbox/contacts").first)
            #expect(contact["total_revenue"] == .number("0") && contact["total_orders"] == .number("1"))
        }
    }

    @Test(
        "a bulk import upserts contacts with fields, tags and list; its batch reads completed; state survives a restart"
    )
    func bulkImportAndRestart() async throws {
        let directory = try TemporaryDirectory(prefix: "logfold-ac-sandbox")
        try await ACSandbox.with(directory: directory) { ac in
            let field = ac.id(
                try await ac.send(
                    ActiveCampaignRequests.createField(title: "Box Type", type: "text", personalizationTag: "BOX_TYPE")),
                "field")
            let list = ac.id(
                try await ac.send(
                    ActiveCampaignRequests.createList(
                        name: "All Customers", stringID: "all", senderURL: "https://x", senderReminder: "r")),
                "list")
            let answer = try await ac.send(
                ActiveCampaignRequests.bulkImport([
                    BulkContact(
                        email: "a@example.com", firstName: "A", fields: [.init(fieldID: field, value: "Large")],
                        tags: ["open order"], listID: list),
                    BulkContact(email: "b@example.com", tags: ["no order"], listID: list),
                ]))
            #expect(answer.status == 200 && answer.json?["success"] == .number("1"))
            let batch = try #require(answer.json?["batchId"]?.stringValue)
            let info = try await ac.send(ActiveCampaignRequests.importInfo(batchID: batch))
            #expect(info.json?["status"]?.stringValue == "completed")
            #expect(
                try await ac.send(ActiveCampaignRequests.bulkImport([BulkContact(email: "no-at-sign")])).status == 400)
        }
        try await ACSandbox.with(directory: directory) { ac in
            let contacts = try await ac.lines("/sandbox/contacts")
            #expect(contacts.map { $0["email"]?.stringValue } == ["a@example.com", "b@example.com"])
            #expect(contacts.first?["fields"]?["Box Type"]?.stringValue == "Large")
            #expect(contacts.first?["tags"]?.arrayElements == [.string("open order")])
            #expect(contacts.last?["lists"]?["All Customers"]?.stringValue == "active")
        }
    }
}
