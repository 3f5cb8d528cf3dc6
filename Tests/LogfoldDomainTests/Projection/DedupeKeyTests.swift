import LogfoldDomain
import Testing

/// Dedupe keys written straight into the string's storage are exactly the keys the concatenations they
/// replaced built (kept here as the reference), pieces with `%`, `/` and non-ASCII text included.
@Suite struct DedupeKeyTests {
    static func escape(_ piece: String) -> String {
        piece.split(separator: "%", omittingEmptySubsequences: false).joined(separator: "%25")
            .split(separator: "/", omittingEmptySubsequences: false).joined(separator: "%2F")
    }

    static func referenceKey(_ m: OutboundMessage) -> String {
        switch m.kind {
        case .event:
            "event/" + escape(m.metric ?? "") + "/" + escape(m.uniqueID ?? "") + "/" + escape(m.customerID)
        case .listAdd, .listRemove:
            m.kind.rawValue + "/" + escape(m.list ?? "") + "/" + escape(m.customerID) + "/" + String(m.sourceSeq)
        case .profile, .suppress, .unsuppress:
            m.kind.rawValue + "/" + escape(m.customerID) + "/" + String(m.sourceSeq)
        }
    }

    static func referenceKey(_ m: ActiveCampaignMessage) -> String {
        switch m.payload {
        case .contact, .listStatus, .tag: "activecampaign/\(m.kind)/\(m.customerID)/\(m.sourceSeq)"
        case .event(_, let name, _): "activecampaign/event/\(m.customerID)/\(m.sourceSeq)/\(name)"
        case .order(let order): "activecampaign/\(m.kind)/\(order.orderID)/\(m.sourceSeq)"
        }
    }

    static let pieces = ["a", "Z", "7", "%", "/", "%2F", "//", " ", "é", "€", "😀", "Placed Order", "#1001", "-"]

    static func text(_ random: inout SplitMix64, upTo length: UInt64) -> String {
        var text = ""
        for _ in 0..<Int(random.next() % (length + 1)) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
        return text
    }

    @Test("Klaviyo keys: 100,000 random messages of every kind agree with the concatenated keys")
    func klaviyo() {
        var random = SplitMix64(seed: 75)
        for _ in 0..<100_000 {
            let kind = OutboundMessage.Kind.allCases[Int(random.next() % 6)]
            let seq = random.next() % 3 == 0 ? UInt64.max >> 16 : random.next() % 10_000_000
            let message = OutboundMessage(
                kind: kind, customerID: Self.text(&random, upTo: 30),
                metric: random.next() % 5 == 0 ? nil : Self.text(&random, upTo: 20),
                uniqueID: random.next() % 5 == 0 ? nil : Self.text(&random, upTo: 40),
                time: Timestamp(unixSeconds: 1_600_000_000),
                list: random.next() % 5 == 0 ? nil : Self.text(&random, upTo: 12),
                identity: ProfileIdentity(externalID: "c"), sourceSeq: seq)
            #expect(message.key == Self.referenceKey(message), "\(message.key.debugDescription)")
        }
    }

    @Test("ActiveCampaign keys: 100,000 random contact, list, tag and event messages agree with interpolation")
    func activeCampaign() {
        var random = SplitMix64(seed: 76)
        for _ in 0..<100_000 {
            let email = Self.text(&random, upTo: 8)
            let payload: ActiveCampaignMessage.Payload =
                switch random.next() % 3 {
                case 0: .listStatus(email: email, subscribed: random.next() % 2 == 0)
                case 1: .tag(email: email, add: Self.text(&random, upTo: 6), remove: nil)
                default:
                    .event(
                        email: email, name: Self.text(&random, upTo: 30),
                        data: ActiveCampaignEventData(
                            time: Timestamp(unixSeconds: 0), logID: 1, content: .entryData([])))
                }
            let message = ActiveCampaignMessage(
                customerID: Self.text(&random, upTo: 30), time: Timestamp(unixSeconds: 1_600_000_000),
                sourceSeq: random.next() % 4 == 0 ? UInt64.max >> 16 : random.next() % 10_000_000, payload: payload)
            #expect(message.key == Self.referenceKey(message), "\(message.key.debugDescription)")
        }
    }
}
