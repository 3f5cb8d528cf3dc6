import LogfoldDomain
import Testing

/// Klaviyo shows the customer as the platform shows them now: cleared values, orders by status,
/// Klaviyo's names, former customers, dates, storefront-tracked metrics.
@Suite struct CurrentDataRuleTests {
    static let full =
        #""customer":{"id":"7","email":"a@example.com","first_name":"Ann","last_name":"Lee","phone":"828-555-0100","status":"Active","schedule":"Weekly","box":"Small","signup_date":"2020-05-01","next_delivery":"2020-05-21","cancel_date":null,"subscribed":true}"#

    @Test("a member sent null clears the property (null in the upsert) and an absent one keeps it")
    func clearedAndAbsent() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-15T10:00:00-04:00", "customer.updated", Self.full))
        // Absent next_delivery and phone: kept, so nothing to send.
        let kept = try h.fold(
            Lines.entry(2, "2020-05-15T11:00:00-04:00", "login", #""customer":{"id":"7","email":"a@example.com"}"#))
        #expect(kept.of(.profile).isEmpty)
        let cleared = try h.fold(
            Lines.entry(
                3, "2020-05-15T12:00:00-04:00", "customer.updated",
                #""customer":{"id":"7","last_name":null,"phone":null,"next_delivery":null}"#))
        let profile = try #require(cleared.of(.profile).first)
        #expect(profile.properties["NextDelivery"] == .null)
        #expect(profile.properties["Box"] == .string("Small"))
        #expect(profile.clearedIdentity == [.lastName, .phone])
        #expect(profile.identity.lastName == nil && profile.identity.firstName == "Ann")
        // Cleared once: the next change does not clear it again.
        let next = try h.fold(
            Lines.entry(4, "2020-05-16T12:00:00-04:00", "customer.updated", #""customer":{"id":"7","box":"Large"}"#))
        let again = try #require(next.of(.profile).first)
        #expect(again.properties["NextDelivery"] == nil)
        #expect(again.clearedIdentity.isEmpty)
    }

    @Test(
        "an order follows its snapshot's status on any entry, once, after Placed Order",
        arguments: [
            ("Cancelled", "Cancelled Order"), ("Completed", "Fulfilled Order"), ("Paid", "Fulfilled Order"),
            ("Refunded", "Refunded Order"),
        ])
    func statusFollowing(status: String, metric: String) throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-18T09:00:00-04:00", "order.created", Lines.active, Lines.order()))
        // A type nobody maps, carrying the order with its new status.
        let moved = try h.fold(
            Lines.entry(2, "2020-05-19T09:00:00-04:00", "warehouse.synced", Lines.active, Lines.order(status: status)))
        #expect(moved.events(metric).map(\.uniqueID) == ["5001"])
        let repeated = try h.fold(
            Lines.entry(3, "2020-05-20T09:00:00-04:00", "order.skipped", Lines.active, Lines.order(status: status)))
        #expect(repeated.events(metric).isEmpty)
        #expect(h.events("Placed Order").count == 1)
    }

    @Test("a status seen before Placed Order places the order first")
    func placesFirst() throws {
        var h = ProjectionHarness()
        let messages = try h.fold(
            Lines.entry(1, "2020-05-19T09:00:00-04:00", "login", Lines.active, Lines.order(status: "Paid")))
        let metrics = messages.of(.event).compactMap(\.metric)
        #expect(metrics == ["Logged In", "Placed Order", "Ordered Product", "Ordered Product", "Fulfilled Order"])
    }

    @Test("an order event without a snapshot uses the stored order its data.order_id names; an unknown one is skipped")
    func storedOrder() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-18T09:00:00-04:00", "order.created", Lines.active, Lines.order()))
        let completed = try h.fold(
            Lines.entry(2, "2020-05-19T09:00:00-04:00", "order.completed", #""data":{"order_id":"5001"}"#))
        let event = try #require(completed.events("Fulfilled Order").first)
        #expect(event.customerID == "1141260")
        #expect(event.value?.description == "52.45")
        #expect(event.properties["OrderId"] == .string("5001"))
        let before = h.projection.skipped
        let unknown = try h.fold(
            Lines.entry(3, "2020-05-19T10:00:00-04:00", "order.cancelled", Lines.active, #""data":{"order_id":"9"}"#))
        #expect(unknown.of(.event).isEmpty)
        #expect(h.projection.skipped == before + 1)
    }

    @Test("order events name items' Categories and Brand and the order's Brands; Ordered Product ProductBrand")
    func orderNames() throws {
        var h = ProjectionHarness()
        let items =
            #"[{"line_id":"1","sku":"A","categories":["Boxes"],"brand":"Kiva"},{"line_id":"2","sku":"B","categories":["Fruit"],"brand":"Farm"},{"line_id":"3","sku":"C","brand":"Kiva"}]"#
        let placed = try h.fold(
            Lines.entry(1, "2020-05-18T09:00:00-04:00", "order.created", Lines.active, Lines.order(items: items)))
        let order = try #require(placed.events("Placed Order").first)
        #expect(order.properties["Brands"] == .array([.string("Kiva"), .string("Farm")]))
        guard case .array(let lines)? = order.properties["Items"], let first = lines.first else {
            Issue.record("Placed Order has no Items")
            return
        }
        #expect(first["Brand"] == .string("Kiva"))
        #expect(first["Categories"] == .array([.string("Boxes")]))
        #expect(first["ProductCategories"] == nil)
        let product = try #require(placed.events("Ordered Product").first)
        #expect(product.properties["ProductBrand"] == .string("Kiva"))
        #expect(product.properties["ProductCategories"] == .array([.string("Boxes")]))
    }

    @Test("a former customer who starts a signup again is not a missed signup; someone who never finished is")
    func formerCustomer() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-15T10:00:00-04:00", "signup.completed", Lines.active))
        try h.fold(
            Lines.entry(
                2, "2020-06-01T10:00:00-04:00", "cancelled",
                #""customer":{"id":"1141260","status":"Stopped","box":null,"schedule":null}"#))
        try h.fold(Lines.entry(3, "2020-07-01T10:00:00-04:00", "started.signup", Lines.cart))
        #expect(h.projection.customers["1141260"]?.missedSignup == false)
        var fresh = ProjectionHarness()
        try fresh.fold(Lines.entry(1, "2020-07-01T10:00:00-04:00", "started.signup", Lines.prospect, Lines.cart))
        #expect(fresh.projection.customers["1141260"]?.missedSignup == true)
    }

    @Test(
        "dates reach Klaviyo as ISO 8601 UTC; calendar dates at noon UTC",
        arguments: [
            ("2020-05-21", "2020-05-21T12:00:00Z"), ("2020-05-15T13:11:42-04:00", "2020-05-15T17:11:42Z"),
            ("2020-12-31T23:30:00.250-05:00", "2021-01-01T04:30:00Z"),
        ])
    func dates(written: String, sent: String) {
        #expect(KlaviyoDate.format(written) == sent)
    }

    @Test("a metric the storefront tracks is not sent by the server side, except Started Checkout")
    func storefront() throws {
        let mapping = try EventMapping.parse(
            Array(#"{"version":1,"storefront":["Completed Signup","Started Checkout"]}"#.utf8))
        var h = ProjectionHarness(mapping: mapping)
        try h.fold(Lines.entry(1, "2020-05-15T13:03:56-04:00", "started.signup", Lines.prospect, Lines.cart))
        try h.fold(Lines.entry(2, "2020-05-15T13:11:42-04:00", "signup.completed", Lines.active))
        #expect(h.events("Completed Signup").isEmpty)
        #expect(h.events("Started Checkout").count == 1)
        #expect(throws: MappingError.self) { try EventMapping.parse(Array(#"{"storefront":"x"}"#.utf8)) }
    }
}
