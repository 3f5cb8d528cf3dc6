import Testing

@testable import LogfoldDomain

/// The fold writes message properties straight into the body's bytes (``PropertiesWriter``); the tree
/// ``JSONObjectBuilder`` builds from the same calls, encoded, must give the very same bytes, and the tree
/// the fold built before (``PropertyTreeReference``) the same members, on random and adversarial orders,
/// carts and profiles.
@Suite struct PropertiesWriterTests {
    struct Random {
        var generator: SplitMix64
        // Quotes, escapes, control bytes, non-ASCII, a vocabulary name and an empty string.
        let pieces = ["a", "Z", " ", "\"", "\\", "\n", "\u{1}", "é", "😀", "Box", "SKU", "2020-05-18", ""]

        mutating func next(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        mutating func text() -> String { (0..<next(10)).map { _ in pieces[next(pieces.count)] }.joined() }
        mutating func maybe() -> String? { next(3) == 0 ? nil : text() }
        mutating func money() -> Money? {
            next(3) == 0 ? nil : Money(mantissa: Int64(next(2_000_000)) - 500_000, scale: UInt8(next(4)))
        }

        mutating func item() -> LineItem {
            LineItem(
                lineID: maybe(), productID: maybe(), sku: maybe(), name: maybe(),
                quantity: next(3) == 0 ? nil : Int64(next(1_000)) - 10, price: money(), rowTotal: money(),
                url: maybe(), imageURL: maybe(), categories: (0..<next(4)).map { _ in text() },
                kind: next(2) == 0 ? nil : ItemKind.allCases[next(ItemKind.allCases.count)], brand: maybe())
        }

        /// Mostly a few lines, sometimes none, now and then more than 127 (an array count of two bytes).
        mutating func items() -> [LineItem] {
            let count = next(50) == 0 ? 128 + next(40) : next(6)
            return (0..<count).map { _ in item() }
        }

        mutating func order() -> OrderState {
            var order = OrderState(id: text())
            if next(8) != 0 {
                order.snapshot = OrderSnapshot(
                    id: order.id, deliveryDate: maybe(), total: money(), discountCode: maybe(),
                    discountValue: money(), items: items())
            }
            return order
        }

        mutating func profile() -> SentProfile {
            var p = SentProfile(CustomerState(id: text()), weekTag: text())
            p.status = next(3) == 0 ? nil : CustomerStatus.allCases[next(CustomerStatus.allCases.count)]
            p.schedule = next(3) == 0 ? nil : DeliverySchedule.allCases[next(DeliverySchedule.allCases.count)]
            p.box = maybe()
            p.signupDate = maybe()
            p.nextDelivery = maybe()
            p.cancelDate = maybe()
            p.missedSignup = next(2) == 0
            return p
        }
    }

    /// The tree `write` builds, and its encoding: what the writer must have written.
    static func tree(_ write: (inout JSONObjectBuilder) -> Void) -> (tree: JSONValue, expected: MessageProperties) {
        var builder = JSONObjectBuilder()
        write(&builder)
        return (builder.object, MessageProperties(builder.object))
    }

    @Test("order events: 20,000 random orders, with a reason or not, give the tree's bytes")
    func orders() {
        var random = Random(generator: SplitMix64(seed: 1604))
        for round in 0..<20_000 {
            let order = random.order()
            let reason = round % 3 == 0 ? random.text() : nil
            let written = order.orderProperties(reason: reason)
            let (tree, expected) = Self.tree({ order.writeOrderProperties(reason: reason, into: &$0) })
            #expect(written == expected, "order \(order.id.debugDescription)")
            #expect(written.value == tree)
            #expect(tree == PropertyTreeReference.order(order, reason: reason))
        }
    }

    @Test("Ordered Product and Started Checkout: 20,000 random lines and carts give the tree's bytes")
    func productsAndCarts() {
        var random = Random(generator: SplitMix64(seed: 1605))
        for _ in 0..<20_000 {
            let orderID = random.text()
            let item = random.item()
            let product = OrderState.productProperties(orderID: orderID, item: item)
            let (productTree, productExpected) = Self.tree {
                OrderState.writeProductProperties(orderID: orderID, item: item, into: &$0)
            }
            #expect(product == productExpected)
            #expect(product.value == productTree)
            #expect(productTree == PropertyTreeReference.product(orderID: orderID, item: item))

            let cart =
                random.next(5) == 0
                ? nil : CartSnapshot(id: random.text(), checkoutURL: random.maybe(), items: random.items())
            let checkout = OrderState.checkoutProperties(cart)
            let (cartTree, cartExpected) = Self.tree({ OrderState.writeCheckoutProperties(cart, into: &$0) })
            #expect(checkout == cartExpected)
            #expect(checkout.value == cartTree)
            #expect(cartTree == PropertyTreeReference.checkout(cart))
        }
    }

    @Test("profile upserts: 20,000 random profiles, each against a random earlier one, clear what went")
    func profiles() {
        var random = Random(generator: SplitMix64(seed: 1606))
        for _ in 0..<20_000 {
            let profile = random.profile()
            let previous = random.next(4) == 0 ? nil : random.profile()
            let written = profile.properties(clearing: previous)
            let (tree, expected) = Self.tree({ profile.writeProperties(clearing: previous, into: &$0) })
            #expect(written == expected)
            #expect(written.value == tree)
            #expect(tree == PropertyTreeReference.profile(profile, clearing: previous))
            // A value the earlier profile had and this one lacks is sent as null; nothing else is.
            if previous?.box != nil, profile.box == nil { #expect(written["Box"] == .null) }
            if previous?.box == nil, profile.box == nil { #expect(written["Box"] == nil) }
        }
    }

    @Test("objects of hundreds of members, named in and out of the vocabulary, nested or not, widen their counts")
    func wideObject() {
        var random = Random(generator: SplitMix64(seed: 1607))
        let names = (BodyPropertiesCodec.vocabulary + ["Brand", "Ünïcode ✓", ""]).map(PropertyName.init)
        func write<Sink: PropertiesSink>(_ values: [(PropertyName, String?, Bool)], into sink: inout Sink) {
            for (name, value, flag) in values {
                sink.add(name, value)
                sink.add(name, flag)
                sink.addNull(name)
            }
        }
        for count in [0, 1, 42, 43, 100, 128] {
            let values = (0..<count).map { _ in (names[random.next(names.count)], random.maybe(), random.next(2) == 0) }
            // The members, then two nested objects of the same members, then the members again: a nested
            // count widened must leave the enclosing object's count where it was.
            func all<Sink: PropertiesSink>(into sink: inout Sink) {
                write(values, into: &sink)
                sink.addObjects(names[0], [values, values]) { nested, sink in write(nested, into: &sink) }
                write(values, into: &sink)
            }
            var writer = PropertiesWriter(capacity: 8)
            all(into: &writer)
            let written = writer.finish()
            let (tree, expected) = Self.tree({ all(into: &$0) })
            #expect(written == expected, "\(count * 6 + 1) members")
            #expect(written.value == tree)
        }
    }
}
