import LogfoldDomain
import Testing

/// An order milestone and the entry type that causes it name each other, and nothing else names one.
@Suite struct OrderMilestoneTests {
    @Test("each milestone is found from its entry type", arguments: OrderState.Milestone.allCases)
    func roundTrip(milestone: OrderState.Milestone) {
        #expect(OrderState.Milestone(entryType: milestone.entryType) == milestone)
    }

    @Test(
        "other entry types name no milestone",
        arguments: ["order.updated", "order.created ", "Order.created", "customer.created", "order", ""])
    func others(entryType: String) {
        #expect(OrderState.Milestone(entryType: entryType) == nil)
    }
}
