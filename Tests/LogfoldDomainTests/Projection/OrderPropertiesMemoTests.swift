import Testing

@testable import LogfoldDomain

/// The properties kept for an order's later milestones are the ones its snapshot would give now.
@Suite struct OrderPropertiesMemoTests {
    @Test("20,000 random milestones of 40 orders: the kept properties are always those written afresh")
    func keptPropertiesAreFresh() {
        var random = SplitMix64(seed: 1705)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        var lines: [LineItem] = []
        for n in 0..<6 {
            let sku: String? = n % 2 == 0 ? "SKU\(n)" : nil
            let brand: String? = n % 3 == 0 ? nil : "Brand \(n % 2)"
            let price = Money(cents: Int64(495 + 100 * n))
            lines.append(
                LineItem(
                    lineID: "l\(n)", productID: "p\(n)", sku: sku, name: "Item \(n)", quantity: Int64(1 + n % 3),
                    price: price, categories: ["Boxes", "C\(n % 3)"], brand: brand))
        }
        var memo = OrderPropertiesMemo()
        for round in 0..<20_000 {
            var order = OrderState(id: "o\(random.next() % 40)")
            // Fields the properties read (items, discount, delivery date) and fields they do not (status,
            // total, dates) change independently, as milestones change them.
            order.snapshot = OrderSnapshot(
                id: order.id, customerID: "c1", status: pick(OrderStatus.allCases),
                createdAt: Timestamp(unixSeconds: Int64(round)), deliveryDate: pick([nil, "2024-05-03", "2024-05-10"]),
                total: Money(cents: Int64(random.next() % 10_000)), currency: "USD",
                discountCode: pick([nil, "WELCOME"]), discountValue: pick([nil, Money(cents: 500)]),
                items: (0..<Int(random.next() % 3)).map { _ in pick(lines) })
            if random.next() % 17 == 0 { order.snapshot = nil }
            let kept = memo.properties(of: order)
            #expect(kept == order.orderProperties(), "round \(round), \(order.id)")
            if random.next() % 500 == 0 { memo.forget(["o\(random.next() % 40)"]) }
        }
        #expect(memo.count <= 40)
        memo.forget((0..<40).map { "o\($0)" })
        #expect(memo.count == 0)
    }

    @Test("past its limit the memo starts afresh: it keeps at most its limit of orders, and what it gives stays fresh")
    func bounded() {
        var memo = OrderPropertiesMemo()
        let item = LineItem(lineID: "l1", sku: "SKU", name: "Box", quantity: 1, price: Money(cents: 4_995))
        for n in 0..<(OrderPropertiesMemo.limit + 100) {
            var order = OrderState(id: "o\(n % (OrderPropertiesMemo.limit + 50))")
            order.snapshot = OrderSnapshot(id: order.id, deliveryDate: n % 2 == 0 ? "2024-05-03" : nil, items: [item])
            let kept = memo.properties(of: order)
            if kept != order.orderProperties() {
                Issue.record("order \(order.id): kept properties differ from fresh ones")
                return
            }
            #expect(memo.count <= OrderPropertiesMemo.limit)
        }
    }
}
