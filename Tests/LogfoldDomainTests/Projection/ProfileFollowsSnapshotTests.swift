import LogfoldDomain
import Testing

/// After any stream of complete snapshots, what Klaviyo holds (every upsert applied in order, `null`
/// removing) equals the profile computed from the customer's last snapshot alone: no stale property,
/// no missing removal.
@Suite struct ProfileFollowsSnapshotTests {
    /// A complete snapshot: every member a value or `null`.
    static func snapshot(_ r: inout SplitMix64) -> String {
        func value(_ options: [String?]) -> String {
            options[Int(r.next() % UInt64(options.count))].map { "\"\($0)\"" } ?? "null"
        }
        let members = [
            #""id":"7","email":"a@example.com""#,
            #""first_name":\#(value(["Ann", "Anna", nil]))"#,
            #""last_name":\#(value(["Lee", nil]))"#,
            #""phone":\#(value(["828-555-0100", "828-555-0199", nil]))"#,
            #""status":\#(value(["Active", "Stopped", "Dead", "On Hold", nil]))"#,
            #""schedule":\#(value(["Weekly", "Monthly", nil]))"#,
            #""box":\#(value(["Small", "Large", nil]))"#,
            #""signup_date":\#(value(["2020-05-01", "2020-05-01T10:00:00-04:00", nil]))"#,
            #""next_delivery":\#(value(["2020-05-21", "2020-05-28", nil]))"#,
            #""cancel_date":\#(value(["2020-06-01", nil]))"#,
        ]
        return #""customer":{\#(members.joined(separator: ",")),"subscribed":true}"#
    }

    /// What Klaviyo holds after `messages`' upserts: identity members and custom properties.
    static func applied(_ messages: [OutboundMessage]) -> [String: JSONValue] {
        var held: [String: JSONValue] = [:]
        for m in messages where m.kind == .profile {
            for (key, value, field) in [
                ("first_name", m.identity.firstName, IdentityFields.firstName),
                ("last_name", m.identity.lastName, .lastName), ("phone", m.identity.phone, .phone),
            ] {
                if let value {
                    held[key] = .string(value)
                } else if m.clearedIdentity.contains(field) {
                    held[key] = nil
                }
            }
            guard case .object(let members) = m.properties.value else { continue }
            for member in members { held[member.key] = member.value == .null ? nil : member.value }
        }
        return held
    }

    @Test("200 seeded streams of up to 12 snapshots end with Klaviyo holding the last snapshot's profile")
    func lastSnapshotWins() throws {
        var r = SplitMix64(seed: 12)
        for stream in 0..<200 {
            var h = ProjectionHarness()
            var last = ""
            for i in 0..<(1 + Int(r.next() % 12)) {
                last = Self.snapshot(&r)
                let type = ["customer.updated", "status.changed", "login"][Int(r.next() % 3)]
                try h.fold(Lines.entry(i + 1, "2020-05-15T10:00:00-04:00", type, last))
            }
            var alone = ProjectionHarness()
            try alone.fold(Lines.entry(1, "2020-05-15T10:00:00-04:00", "customer.updated", last))
            #expect(Self.applied(h.all) == Self.applied(alone.all), "stream \(stream): \(last)")
        }
    }
}
