import LogfoldActiveCampaign
import LogfoldDomain
import LogfoldTestSupport
import Testing

@Suite struct EventNameTests {
    /// Every activity seed 002 names.
    static let seedNames = [
        "Delivery Today Reminder Email Sent", "New Customer Signup", "Login via expired magic link failed",
        "Logged in", "Logged in via cookie", "Logged in via magic link", "Logged out", "Made a substitution",
        "Made an un-substition", "Added add-on to order", "Deleted item from order", "New Promo Customer Signup",
        "Customer created order from welcome page", "Customer changed box", "Order skipped", "Customer cancelled",
        "Customer thinking of skipping order", "Gift certificate used", "Discount code used",
        "Submitted Contact Form", "Gift purchaser account activation", "Promo account activation",
        "Updated Payment Info", "Re-subscribed to emails", "Unsubscribed email", "Updated Shipping Notes",
        "Added Delivery to Schedule", "Shared with Friends", "Skipped Delivery on Schedule", "Updated Address",
        "Reset Password", "Cancelled Order", "Added Birthday", "Changed Schedule",
        "Removed recurring product setting", "Updated recurring product setting", "Added recurring product setting",
        "Changed Box Subscription", "Gift Box Purchase", "Order Completed", "Reset Schedule",
    ]

    @Test("seed 002's names fit in 32 characters, stay distinct, and only the long ones change")
    func seedNames() {
        let sent = Self.seedNames.map(ActiveCampaignEventName.shortened)
        #expect(sent.allSatisfy { $0.count <= 32 })
        #expect(Set(sent).count == Self.seedNames.count)
        for (name, short) in zip(Self.seedNames, sent) where name.count <= 32 { #expect(short == name) }
        #expect(Set(ActiveCampaignEventName.shortForms.map(\.name)) == Set(Self.seedNames.filter { $0.count > 32 }))
    }

    @Test("any other long name is cut at a word boundary within 32 characters", arguments: 0..<300)
    func anyName(seed: Int) {
        var random = SplitMix(seed: UInt64(seed))
        let words = [
            "a", "order", "subscription", "x", "recurring", "schedule", "ÉÉ", "😀", "thirtytwocharacterslongwordxxxxx",
        ]
        let name = (0..<(1 + Int(random.next() % 9))).map { _ in words[Int(random.next() % UInt64(words.count))] }
            .joined(separator: " ")
        let short = ActiveCampaignEventName.shortened(name)
        #expect(short.count <= 32 && !short.isEmpty)
        #expect(name.hasPrefix(short))
        if name.count <= 32 { #expect(short == name) }
        #expect(short.last != " ")
    }
}

@Suite struct CentsTests {
    @Test("amounts become integer cents; sub-cent digits round half away from zero, refunds too")
    func cents() throws {
        func money(_ mantissa: Int64, _ scale: UInt8) throws -> Money {
            try #require(Money(mantissa: mantissa, scale: scale))
        }
        #expect(try money(4795, 2).cents == 4795)
        #expect(try money(48, 0).cents == 4800)
        #expect(try money(479, 1).cents == 4790)
        #expect(try money(125, 3).cents == 13)
        #expect(try money(124, 3).cents == 12)
        #expect(try money(-125, 3).cents == -13)
        #expect(try money(-4795, 2).cents == -4795)
        #expect(try money(Int64.max, 0).cents == nil)
    }

    @Test("cents agree with exact decimal arithmetic", arguments: 0..<500)
    func property(seed: Int) throws {
        var random = SplitMix(seed: UInt64(seed))
        let mantissa = Int64(bitPattern: random.next()) >> Int64(random.next() % 60)
        let scale = UInt8(random.next() % 10)
        guard let money = Money(mantissa: mantissa, scale: scale), let cents = money.cents else { return }
        // The reference: |m| · 100 / 10^s rounded half up on magnitudes, with m's sign.
        let magnitude = mantissa.magnitude.multipliedFullWidth(by: 100)
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let (quotient, remainder) = divisor.dividingFullWidth(magnitude)
        let rounded = remainder * 2 >= divisor ? quotient + 1 : quotient
        #expect(cents.magnitude == rounded)
        #expect(cents == 0 || (cents < 0) == (mantissa < 0))
    }
}

@Suite struct AnswerTests {
    static let sync = ActiveCampaignRequests.contactSync(ContactValues(email: "a@b.c"))
    static let track = ActiveCampaignRequests.trackEvent(account: "1", key: "k", name: "x", data: nil, email: "a@b.c")

    @Test("2xx is done, except a tracking answer without success 1, whatever its status")
    func success() {
        #expect(
            ActiveCampaignAnswer.classify(Self.sync, status: 201, retryAfter: nil, body: Array("{}".utf8)) == .accepted)
        let spawned = Array(#"{"success":1,"message":"Event spawned"}"#.utf8)
        #expect(ActiveCampaignAnswer.classify(Self.track, status: 200, retryAfter: nil, body: spawned) == .accepted)
        for body in [#"{"success":0,"message":"Invalid key"}"#, "{}", ""] {
            guard
                case .rejected(let reason) = ActiveCampaignAnswer.classify(
                    Self.track, status: 200, retryAfter: nil, body: Array(body.utf8))
            else {
                Issue.record("\(body) was not refused")
                continue
            }
            #expect(reason.contains("did not spawn"))
        }
    }

    @Test("429 waits Retry-After; 5xx, 408 and no answer back off; bulk import's 400 throttle is a 429")
    func transient() {
        #expect(
            ActiveCampaignAnswer.classify(Self.sync, status: 429, retryAfter: "3", body: [])
                == .retry(afterSeconds: 3, reason: "HTTP 429: (empty body)"))
        for status in [408, 500, 502, 503, 504] {
            guard
                case .retry(nil, _) = ActiveCampaignAnswer.classify(
                    Self.sync, status: status, retryAfter: nil, body: [])
            else {
                Issue.record("\(status) is not transient")
                continue
            }
        }
        guard case .retry = ActiveCampaignAnswer.classify(Self.sync, status: nil, retryAfter: nil, body: []) else {
            Issue.record("no answer is not transient")
            return
        }
        let bulk = ActiveCampaignRequests.bulkImport([BulkContact(email: "a@b.c")])
        let throttled = Array(#"{"message":"Rate limit exceeded."}"#.utf8)
        guard case .retry = ActiveCampaignAnswer.classify(bulk, status: 400, retryAfter: nil, body: throttled) else {
            Issue.record("bulk import's throttle is not transient")
            return
        }
        guard case .rejected = ActiveCampaignAnswer.classify(Self.sync, status: 400, retryAfter: nil, body: throttled)
        else {
            Issue.record("a 400 outside bulk import is a refusal")
            return
        }
    }

    @Test("403 and 401 stop with the token's remedy and never the token; 402 stops; 422 names AC's error")
    func refusals() {
        guard case .stop(let reason) = ActiveCampaignAnswer.classify(Self.sync, status: 403, retryAfter: nil, body: [])
        else {
            Issue.record("403 does not stop")
            return
        }
        #expect(reason.contains("ACTIVECAMPAIGN_API_TOKEN"))
        guard case .stop = ActiveCampaignAnswer.classify(Self.sync, status: 402, retryAfter: nil, body: []) else {
            Issue.record("402 does not stop")
            return
        }
        let duplicate = Array(
            #"{"errors":[{"title":"Email address already exists in the system.","detail":"","code":"duplicate","source":{"pointer":"/data/attributes/email"}}]}"#
                .utf8)
        #expect(
            ActiveCampaignAnswer.classify(Self.sync, status: 422, retryAfter: nil, body: duplicate)
                == .rejected(
                    "HTTP 422: Email address already exists in the system. (duplicate) at /data/attributes/email"))
        let gone = ActiveCampaignRequests.removeTag(contactTagID: "5")
        #expect(ActiveCampaignAnswer.classify(gone, status: 404, retryAfter: nil, body: []) == .accepted)
        guard case .rejected = ActiveCampaignAnswer.classify(Self.sync, status: 404, retryAfter: nil, body: []) else {
            Issue.record("a 404 outside a removal is a refusal")
            return
        }
    }
}
