import LogfoldDomain
import LogfoldStore

/// Conversions between the fold's state and messages and the store's rows.
enum ProjectionRows {
    static func row(_ c: CustomerState) -> CustomerRow {
        CustomerRow(
            id: c.id, email: c.identity.email, firstName: c.identity.firstName, lastName: c.identity.lastName,
            status: c.status?.rawValue, schedule: c.schedule?.rawValue, box: c.box, signupDate: c.signupDate,
            nextDelivery: c.nextDelivery, cancelDate: c.cancelDate,
            weekTag: c.lastProfile?.weekTag, subscribed: c.subscribed,
            suppressed: c.suppressed, missedSignup: c.missedSignup,
            lists: CustomerList.allCases.filter(c.isMember(of:)).map(\.rawValue).sorted().joined(separator: ","),
            lastSeq: c.lastSeq, state: ProjectionCodec.encode(c), orderWeek: c.latestOrderWeek,
            sharedIdentifiers: c.shared.names)
    }

    static func row(_ clock: JournalClock) -> ProjectionClock {
        ProjectionClock(week: clock.week, sweeping: clock.sweeping, sweptThrough: clock.sweptThrough)
    }

    static func row(_ o: OrderState) -> OrderRow {
        OrderRow(
            id: o.id, customerID: o.customerID, stage: o.stage, total: o.snapshot?.total?.description,
            currency: o.snapshot?.currency, placedSeq: o.placedSeq, lastSeq: o.lastSeq, state: ProjectionCodec.encode(o)
        )
    }

    static func row(_ m: ActiveCampaignMessage) -> ActiveCampaignOutboxRow { ActiveCampaignOutboxRow(m) }

    static func row(_ m: OutboundMessage) -> OutboxRow { OutboxRow(m) }
}
