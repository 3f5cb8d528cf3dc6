import LogfoldDomain
import Testing

@Suite struct ProjectionRuleTests {
    @Test("started.signup is Started Checkout with unique_id cart id + unix seconds, the seed's 1141260_1589562236")
    func startedCheckoutUniqueID() throws {
        var h = ProjectionHarness()
        let messages = try h.fold(
            Lines.entry(88_120_533, "2020-05-15T13:03:56-04:00", "started.signup", Lines.prospect, Lines.cart))
        let event = try #require(messages.events("Started Checkout").first)
        #expect(event.uniqueID == "1141260_1589562236")
        #expect(event.value?.description == "47.95")
        #expect(event.properties["ItemNames"] == .array([.string("Only Organic Small Box Fruits & Veggies")]))
        #expect(event.properties["CheckoutURL"] == .string("https://shop.example/sign-up"))
        #expect(event.identity.email == "ktest@example.com")
    }

    @Test("signup.completed sends Completed Signup and the profile becomes Active with schedule, box and sign-up date")
    func completedSignup() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-15T13:03:56-04:00", "started.signup", Lines.prospect, Lines.cart))
        let messages = try h.fold(Lines.entry(2, "2020-05-15T13:11:42-04:00", "signup.completed", Lines.active))
        #expect(messages.events("Completed Signup").first?.uniqueID == "2")
        let profile = try #require(messages.of(.profile).first)
        #expect(profile.properties["Status"] == .string("Active"))
        #expect(profile.properties["Schedule"] == .string("Weekly"))
        #expect(profile.properties["Box"] == .string("Only Organic Small Box"))
        #expect(profile.properties["SignUpDate"] == .string("2020-05-15T17:11:42Z"))
        #expect(profile.properties["Missed Signup"] == .bool(false))
    }

    @Test(
        "missed signup: started but no box, schedule or Active status; the abandoned list holds them until they finish")
    func missedSignupAndAbandonedList() throws {
        var h = ProjectionHarness()
        let first = try h.fold(
            Lines.entry(1, "2020-05-15T13:03:56-04:00", "started.signup", Lines.prospect, Lines.cart))
        #expect(first.of(.profile).first?.properties["Missed Signup"] == .bool(true))
        #expect(Set(first.of(.listAdd).compactMap(\.list)) == ["All Customers", "Abandoned"])
        let done = try h.fold(Lines.entry(2, "2020-05-16T10:00:00-04:00", "signup.completed", Lines.active))
        #expect(done.of(.listRemove).compactMap(\.list) == ["Abandoned"])
        #expect(h.projection.customers["1141260"]?.missedSignup == false)
    }

    @Test("cancelled sends Cancelled Account with its Cancellation Date; the profile shows Stopped and CancelDate")
    func cancelledAccount() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-15T13:11:42-04:00", "signup.completed", Lines.active))
        let messages = try h.fold(
            Lines.entry(
                2, "2020-06-01T12:40:28-04:00", "cancelled",
                #""customer":{"id":"1141260","status":"Stopped","cancel_date":"2020-06-01","schedule":null,"box":null,"subscribed":true}"#
            ))
        let event = try #require(messages.events("Cancelled Account").first)
        #expect(event.properties["Cancellation Date"] == .string("2020-06-01T12:00:00Z"))
        let profile = try #require(messages.of(.profile).first)
        #expect(profile.properties["Status"] == .string("Stopped"))
        #expect(profile.properties["CancelDate"] == .string("2020-06-01T12:00:00Z"))
        // Sent before, gone now: `null`, which the sender turns into `patch_properties.unset`.
        #expect(profile.properties["Box"] == .null)
        #expect(profile.properties["Schedule"] == .null)
    }

    @Test("order.created is Placed Order plus one Ordered Product per line, keyed by order id and line id")
    func placedOrderAndOrderedProducts() throws {
        var h = ProjectionHarness()
        let messages = try h.fold(
            Lines.entry(1, "2020-05-18T09:00:00-04:00", "order.created", Lines.active, Lines.order()))
        let placed = try #require(messages.events("Placed Order").first)
        #expect(placed.uniqueID == "5001")
        #expect(placed.value?.description == "52.45")
        #expect(placed.currency == "USD")
        #expect(messages.events("Ordered Product").map(\.uniqueID) == ["5001_9001", "5001_9002"])
        #expect(messages.events("Ordered Product").map { $0.value?.description } == ["47.95", "4.5"])
    }

    @Test("Ordered Product keys fall back to the SKU and make repeats distinct: _2, _3 in line order")
    func orderedProductKeysRepeat() throws {
        let items = #"[{"sku":"AVO","quantity":1},{"sku":"AVO","quantity":1},{"line_id":"AVO_2"},{"sku":"AVO"}]"#
        var h = ProjectionHarness()
        let messages = try h.fold(
            Lines.entry(1, "2020-05-18T09:00:00-04:00", "order.created", Lines.active, Lines.order(items: items)))
        #expect(
            messages.events("Ordered Product").map(\.uniqueID) == [
                "5001_AVO", "5001_AVO_2", "5001_AVO_2_2", "5001_AVO_3",
            ])
        #expect(Set(messages.map(\.key)).count == messages.count)
    }

    @Test("Cancelled and Fulfilled Order come only after Placed Order; an order first seen mid-history is placed first")
    func transitionsOnlyAfterPlaced() throws {
        var h = ProjectionHarness()
        let messages = try h.fold(
            Lines.entry(
                1, "2020-05-22T09:00:00-04:00", "order.completed", Lines.active, Lines.order(status: "Completed")))
        #expect(
            messages.of(.event).compactMap(\.metric) == [
                "Placed Order", "Ordered Product", "Ordered Product", "Fulfilled Order",
            ])
        let placed = try #require(messages.events("Placed Order").first)
        #expect(
            placed.time == RFC3339.parse("2020-05-18T09:00:00-04:00"),
            "a backfilled placement takes the order's creation time")
        let cancelled = try h.fold(
            Lines.entry(
                2, "2020-05-23T09:00:00-04:00", "order.cancelled", Lines.active,
                Lines.order("5002", status: "Cancelled"), #""data":{"reason":"moving"}"#))
        #expect(cancelled.events("Placed Order").count == 1)
        #expect(cancelled.events("Cancelled Order").first?.properties["Reason"] == .string("moving"))
    }

    @Test("a repeated transition emits nothing")
    func repeatedTransitionsEmitNothing() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-18T09:00:00-04:00", "order.created", Lines.active, Lines.order()))
        #expect(
            try h.fold(Lines.entry(2, "2020-05-18T09:05:00-04:00", "order.created", Lines.active, Lines.order())).of(
                .event
            ).isEmpty)
        try h.fold(
            Lines.entry(
                3, "2020-05-22T09:00:00-04:00", "order.completed", Lines.active, Lines.order(status: "Completed")))
        let again = try h.fold(
            Lines.entry(
                4, "2020-05-22T09:01:00-04:00", "order.completed", Lines.active, Lines.order(status: "Completed")))
        #expect(again.of(.event).isEmpty)
        #expect(h.events("Fulfilled Order").count == 1)
    }

    @Test("refund, chargeback, shipped and delivered each send their order event once")
    func otherOrderEvents() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-18T09:00:00-04:00", "order.created", Lines.active, Lines.order()))
        for (n, type) in ["order.shipped", "order.delivered", "order.refunded", "order.chargeback", "order.refunded"]
            .enumerated()
        {
            try h.fold(Lines.entry(2 + n, "2020-05-25T09:00:00-04:00", type, Lines.active, Lines.order()))
        }
        for metric in ["Shipped Order", "Delivered Order", "Refunded Order", "Chargeback Order"] {
            #expect(h.events(metric).map(\.uniqueID) == ["5001"], "\(metric)")
        }
        #expect(h.projection.orders["5001"]?.stage == "chargeback")
    }

    @Test(
        "suppression: a Dead customer is suppressed on any entry, including an order event, and never lifted while Dead"
    )
    func deadCustomerSuppressed() throws {
        var h = ProjectionHarness()
        let messages = try h.fold(
            Lines.entry(1, "2020-05-18T09:00:00-04:00", "order.created", Lines.dead, Lines.order()))
        #expect(messages.first?.kind == .suppress, "suppression goes before the events")
        #expect(messages.events("Placed Order").count == 1)
        let subscribe = try h.fold(Lines.entry(2, "2020-05-19T09:00:00-04:00", "email.subscribed", Lines.dead))
        #expect(subscribe.of(.unsuppress).isEmpty)
        #expect(h.all.of(.suppress).count == 1, "already suppressed: not sent again")
    }

    @Test("suppression: unsubscribe suppresses, re-subscribe lifts it (after the entry's events)")
    func unsubscribeThenResubscribe() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-15T13:11:42-04:00", "signup.completed", Lines.active))
        let off = try h.fold(
            Lines.entry(
                2, "2020-05-20T10:00:00-04:00", "email.unsubscribed", #""customer":{"id":"1141260","subscribed":false}"#
            ))
        #expect(off.of(.suppress).count == 1)
        let on = try h.fold(
            Lines.entry(
                3, "2020-05-21T10:00:00-04:00", "email.subscribed", #""customer":{"id":"1141260","subscribed":true}"#))
        #expect(on.last?.kind == .unsuppress)
        #expect(h.projection.customers["1141260"]?.suppressed == false)
    }

    @Test("the week's order tag: open order, closed order, or no order for the ISO week")
    func weekOrderTag() throws {
        var h = ProjectionHarness()
        let placed = try h.fold(
            Lines.entry(1, "2020-05-18T09:00:00-04:00", "order.created", Lines.active, Lines.order()))
        #expect(placed.of(.profile).first?.properties["Order This Week"] == .string("open order"))
        let billed = try h.fold(
            Lines.entry(
                2, "2020-05-19T09:00:00-04:00", "order.completed", Lines.active, Lines.order(status: "Completed")))
        #expect(billed.of(.profile).first?.properties["Order This Week"] == .string("closed order"))
        let nextWeek = try h.fold(Lines.entry(3, "2020-05-26T09:00:00-04:00", "login", Lines.active))
        #expect(nextWeek.of(.profile).first?.properties["Order This Week"] == .string("no order"))
    }

    @Test("lists: everyone joins all customers; a failed payment joins declined; a billed order joins purchases")
    func lists() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-15T13:11:42-04:00", "signup.completed", Lines.active))
        try h.fold(Lines.entry(2, "2020-05-18T09:00:00-04:00", "failed.payment", Lines.active, Lines.order()))
        try h.fold(
            Lines.entry(
                3, "2020-05-19T09:00:00-04:00", "order.completed", Lines.active, Lines.order(status: "Completed")))
        #expect(h.all.of(.listAdd).compactMap(\.list) == ["All Customers", "Declined", "Purchases"])
        #expect(h.events("Failed Payment").first?.value?.description == "52.45")
    }

    @Test("a profile upsert is sent only when the identity or a property changed")
    func profileOnlyOnChange() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-15T13:11:42-04:00", "signup.completed", Lines.active))
        let login = try h.fold(Lines.entry(2, "2020-05-15T14:00:00-04:00", "login", Lines.active))
        #expect(login.of(.profile).isEmpty)
        #expect(login.events("Logged In").first?.uniqueID == "2")
    }

    @Test("activities send the mapped metric keyed by the log id, with data as properties")
    func activities() throws {
        var h = ProjectionHarness()
        let messages = try h.fold(
            Lines.entry(
                77, "2020-05-15T14:00:00-04:00", "box.changed", Lines.active,
                #""data":{"from_box":"Small","to_box":"Large"}"#))
        let event = try #require(messages.events("Changed Box").first)
        #expect(event.uniqueID == "77")
        #expect(event.properties == .object([.init("from_box", .string("Small")), .init("to_box", .string("Large"))]))
    }

    @Test("unknown types are counted, send no event, and still update the profile")
    func unknownTypesCounted() throws {
        var h = ProjectionHarness()
        let messages = try h.fold(Lines.entry(1, "2020-05-15T14:00:00-04:00", "loyalty.points_awarded", Lines.active))
        #expect(messages.of(.event).isEmpty)
        #expect(messages.of(.profile).count == 1)
        #expect(h.projection.unknownTypes == ["loyalty.points_awarded": 1])
    }

    @Test("the mapping is configuration: rename a metric, switch one off, give an unknown type an event")
    func mappingFile() throws {
        let mapping = try EventMapping.parse(
            Array(
                #"{"version":1,"metrics":{"login":"Signed In","logout":null,"loyalty.points_awarded":"Earned Points"},"lists":{"abandoned":"Abandoned Checkouts"}}"#
                    .utf8))
        var h = ProjectionHarness(mapping: mapping)
        try h.fold(Lines.entry(1, "2020-05-15T13:03:56-04:00", "started.signup", Lines.prospect, Lines.cart))
        try h.fold(Lines.entry(2, "2020-05-15T14:00:00-04:00", "login", Lines.prospect))
        try h.fold(Lines.entry(3, "2020-05-15T14:01:00-04:00", "logout", Lines.prospect))
        try h.fold(Lines.entry(4, "2020-05-15T14:02:00-04:00", "loyalty.points_awarded", Lines.prospect))
        #expect(h.all.of(.event).compactMap(\.metric) == ["Started Checkout", "Signed In", "Earned Points"])
        #expect(h.all.of(.listAdd).compactMap(\.list).contains("Abandoned Checkouts"))
        #expect(throws: MappingError.self) { try EventMapping.parse(Array(#"{"lists":{"vip":"VIP"}}"#.utf8)) }
    }

    @Test("every known entry type has a default metric or a fixed profile-only meaning")
    func defaultsCoverTheContract() {
        let generatorTypes = EventMapping.knownTypes
        #expect(generatorTypes.count == 52)
        for type in generatorTypes {
            #expect(
                EventMapping.defaults.metric(for: type) != nil || EventMapping.profileOnlyTypes.contains(type),
                "\(type)")
        }
    }
}
