import LogfoldDomain
import LogfoldKlaviyo
import LogfoldStore
import LogfoldTestSupport
import Testing

@testable import LogfoldEngine

/// The sender's plan is a pure function of the pending rows: these check it without a network.
@Suite struct DeliveryPlannerTests {
    static let now: Int64 = 1_800_000_000
    var seq: UInt64 = 0

    static func row(
        _ kind: OutboundMessage.Kind, customer: String = "c1", email: String? = "c1@example.com", metric: String? = nil,
        uniqueID: String? = nil, list: String? = nil, time: Int64 = now - 60, seq: UInt64, index: UInt16 = 0,
        properties: JSONValue = .object([])
    ) -> OutboxRowWithStatus {
        let message = OutboundMessage(
            kind: kind, customerID: customer, metric: metric, uniqueID: uniqueID,
            time: Timestamp(unixSeconds: time), list: list,
            identity: ProfileIdentity(externalID: customer, email: email, phone: "828-555-0142"),
            properties: MessageProperties(properties), sourceSeq: seq, index: index)
        return OutboxRowWithStatus(row: ProjectionRows.row(message), status: "pending", attempts: 0, lastError: nil)
    }

    static func event(_ uid: String, customer: String = "c1", email: String? = nil, seq: UInt64, time: Int64 = now - 60)
        -> OutboxRowWithStatus
    {
        row(
            .event, customer: customer, email: email ?? "\(customer)@example.com", metric: "Placed Order",
            uniqueID: uid, time: time, seq: seq)
    }

    func plan(_ rows: [OutboxRowWithStatus], _ options: SendOptions = SendOptions()) -> DeliveryPlan {
        DeliveryPlanner(options: options, now: Self.now).plan(rows)
    }

    @Test(
        "profile upserts are coalesced per customer: the latest is sent, the earlier ones settle with it, in the order of the latest"
    )
    func profilesCoalesce() {
        let rows = [
            Self.row(.profile, customer: "a", seq: 1), Self.row(.profile, customer: "b", seq: 2),
            Self.row(.profile, customer: "a", seq: 3), Self.row(.profile, customer: "a", seq: 4),
        ]
        let steps = plan(rows).phases.joined()
        #expect(steps.map(\.kind) == [.profileImport, .profileImport])
        // b's latest (seq 2) comes before a's (seq 4): a customer letting an email go is sent before one taking it.
        #expect(steps.first?.items.first?.ordinal == rows[1].row.ordinal)
        #expect(steps.last?.items.first?.ordinal == rows[3].row.ordinal)
        #expect(steps.last?.items.first?.superseded == [rows[0].row.ordinal, rows[2].row.ordinal])
    }

    @Test("many profile upserts go through bulk import; phones become E.164")
    func profilesBulk() {
        let rows = (1...30).map { Self.row(.profile, customer: "c\($0)", seq: UInt64($0)) }
        let steps = Array(plan(rows).phases.joined())
        #expect(steps.map(\.kind) == [.profileBulk])
        #expect(steps[0].profiles.count == 30)
        #expect(steps[0].profiles.allSatisfy { $0.phoneNumber == "+18285550142" })
    }

    @Test("suppression runs before events and its lifting after them; the last change per customer wins")
    func suppressionOrder() {
        let rows = [
            Self.row(.suppress, customer: "dead", seq: 1), Self.event("o1", customer: "dead", seq: 1),
            Self.row(.suppress, customer: "back", seq: 2), Self.row(.unsuppress, customer: "back", seq: 3),
        ]
        let phases = plan(rows, SendOptions(bulkEventMinimum: 1)).phases
        #expect(phases.map { $0.map(\.kind) } == [[.suppress], [.eventBulk], [.unsuppress]])
        #expect(phases[0][0].items.count == 1)
        #expect(phases[2][0].items[0].superseded == [rows[2].row.ordinal])
    }

    @Test("with profile upserts in the window, they go before the suppression (an upsert may move its email)")
    func profilesBeforeSuppression() {
        let rows = [
            Self.row(.profile, customer: "a", email: "a@example.com", seq: 1),
            Self.row(.profile, customer: "b", email: "home@example.com", seq: 2),
            Self.row(.suppress, customer: "b", email: "home@example.com", seq: 2, index: 1),
            Self.event("o1", customer: "b", email: "home@example.com", seq: 2),
        ]
        let phases = plan(rows, SendOptions(bulkEventMinimum: 1)).phases
        #expect(phases.map { $0.map(\.kind) } == [[.profileImport, .profileImport], [.suppress], [.eventBulk]])
    }

    @Test("events and list changes go to the profile as the window's last upsert of their customer leaves it")
    func identifiersFollowTheLatestUpsert() {
        let rows = [
            Self.event("o1", customer: "a", email: "home@example.com", seq: 1),
            Self.row(.listAdd, customer: "a", email: "home@example.com", list: "All Customers", seq: 1, index: 1),
            Self.event("o2", customer: "c", email: "c@example.com", seq: 2),
            Self.row(.profile, customer: "a", email: "a@example.com", seq: 3),
            // Customer b has no upsert in the window: its rows keep what they carry.
            Self.event("o3", customer: "b", email: "b@example.com", seq: 4),
        ]
        let items = plan(rows, SendOptions(bulkEventMinimum: 1)).phases.joined().flatMap(\.items)
        var emails: [String: String?] = [:]
        for item in items {
            switch item.payload {
            case .event(let event): emails[event.uniqueID] = event.profile.email
            case .membership(let profile): emails["list"] = profile.email
            default: break
            }
        }
        #expect(
            emails == ["o1": "a@example.com", "list": "a@example.com", "o2": "c@example.com", "o3": "b@example.com"])
    }

    @Test("an upsert taking an email another customer's upsert in the window held goes in a later phase")
    func handOverOrder() {
        let rows = [
            Self.row(.profile, customer: "owner", email: "home@example.com", seq: 1),
            Self.row(.profile, customer: "other", email: nil, seq: 2),
            Self.row(.profile, customer: "owner", email: "owner@example.com", seq: 5),
            Self.row(.profile, customer: "other", email: "home@example.com", seq: 6),
        ]
        let phases = plan(rows).phases
        #expect(phases.map { $0.map(\.kind) } == [[.profileImport], [.profileImport]])
        #expect(phases.first?.first?.items.first?.ordinal == rows[2].row.ordinal)
        #expect(phases.last?.first?.items.first?.ordinal == rows[3].row.ordinal)
    }

    @Test("an event naming an email its customer no longer holds goes by external_id alone")
    func staleEventEmail() {
        var planner = DeliveryPlanner(options: SendOptions(bulkEventMinimum: 1), now: Self.now)
        planner.currentEmails = ["a": "a@example.com", "b": nil, "c": "C@Example.com"]
        let rows = [
            Self.event("o1", customer: "a", email: "home@example.com", seq: 1),
            Self.event("o2", customer: "b", email: "home@example.com", seq: 2),
            Self.event("o3", customer: "c", email: "c@example.com", seq: 3),
            Self.event("o4", customer: "unknown", email: "u@example.com", seq: 4),
        ]
        var emails: [String: String?] = [:]
        for item in planner.plan(rows).phases.joined().flatMap(\.items) {
            if case .event(let event) = item.payload { emails[event.uniqueID] = event.profile.email }
        }
        #expect(emails == ["o1": nil, "o2": nil, "o3": "c@example.com", "o4": "u@example.com"])
    }

    @Test("a suppression without an email is dead-lettered with the reason, not sent")
    func suppressionNeedsEmail() {
        let plan = plan([Self.row(.suppress, customer: "x", email: nil, seq: 1)])
        #expect(plan.phases.isEmpty)
        #expect(plan.settledLocally.first?.error?.contains("no email") == true)
    }

    @Test("events Klaviyo would refuse are dead-lettered before sending")
    func invalidEventsDie() {
        let plan = plan([Self.event("old", seq: 1, time: 800_000_000), Self.event("ok", seq: 2)])
        #expect(plan.settledLocally.count == 1)
        #expect(plan.settledLocally[0].error?.contains("before 2000") == true)
        #expect(plan.phases.joined().flatMap(\.items).count == 1)
    }

    @Test("a trickle goes through Create Event, a crowd through Bulk Create Events of at most 1,000")
    func bulkThreshold() {
        #expect(
            plan([Self.event("1", seq: 1), Self.event("2", seq: 2)]).phases.joined().map(\.kind) == [.event, .event])
        let many = (1...2_500).map { Self.event("u\($0)", customer: "c\($0 % 40)", seq: UInt64($0)) }
        let steps = Array(plan(many).phases.joined())
        #expect(steps.allSatisfy { $0.kind == .eventBulk && $0.items.count <= 1_000 })
        #expect(steps.map(\.items.count).reduce(0, +) == 2_500)
    }

    @Test("no bulk request holds two events with the same profile, metric and unique_id (seeded collisions)")
    func noDuplicateKeysPerRequest() {
        var generator = SplitMix(seed: 42)
        var rows: [OutboxRowWithStatus] = []
        for seq in 1...3_000 {
            // Few unique ids and customers sharing emails: many collisions by external id or by email.
            let customer = "c\(generator.next() % 50)"
            let email = "shared\(generator.next() % 5)@example.com"
            rows.append(Self.event("u\(generator.next() % 30)", customer: customer, email: email, seq: UInt64(seq)))
        }
        let steps = Array(plan(rows).phases.joined())
        #expect(steps.map(\.items.count).reduce(0, +) == rows.count)
        for step in steps {
            var byID = Set<String>()
            var byEmail = Set<String>()
            for item in step.items {
                guard case .event(let e) = item.payload else { continue }
                #expect(byID.insert(e.profile.externalID + "|" + e.metric + "|" + e.uniqueID).inserted)
                #expect(byEmail.insert((e.profile.email ?? "") + "|" + e.metric + "|" + e.uniqueID).inserted)
            }
        }
    }

    @Test("history sends every event with backfill; live sends only old ones with it")
    func backfill() {
        let rows = [Self.event("recent", seq: 1), Self.event("old", seq: 2, time: Self.now - 3 * 86_400)]
        func flags(_ options: SendOptions) -> [Bool] {
            plan(rows, options).phases.joined().flatMap(\.items).compactMap {
                if case .event(let e) = $0.payload { return e.backfill }
                return nil
            }
        }
        #expect(flags(SendOptions()) == [false, true])
        #expect(flags(SendOptions(history: true)) == [true, true])
    }

    @Test("a pointer names the event it points at, or every event of the profile it points at")
    func pointers() {
        let rows = [
            Self.event("1", customer: "a", seq: 1), Self.event("2", customer: "b", seq: 2),
            Self.event("3", customer: "a", seq: 3), Self.event("4", customer: "b", seq: 4),
            Self.event("5", customer: "c", seq: 5),
        ]
        let step = Array(plan(rows).phases.joined())[0]
        #expect(step.eventGroups.map(\.items) == [[0, 2], [1, 3], [4]])
        let prefix = "/data/attributes/events-bulk-create/data"
        #expect(step.items(namedBy: prefix + "/1/attributes/events/data/1/attributes/time") == [3])
        #expect(step.items(namedBy: prefix + "/0/attributes/profile/data/attributes/email") == [0, 2])
        #expect(step.items(namedBy: "/data/attributes/nothing") == nil)
        #expect(step.items(namedBy: nil) == nil)
    }
}
