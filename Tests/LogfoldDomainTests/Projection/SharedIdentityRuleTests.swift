import LogfoldDomain
import Testing

/// Two platform customers with one email or phone: the fold decides who keeps it in Klaviyo.
@Suite struct SharedIdentityRuleTests {
    static func customer(_ id: String, email: String, phone: String? = nil, subscribed: Bool = true) -> String {
        let phoneMember = phone.map { #","phone":"\#($0)""# } ?? ""
        return
            #""customer":{"id":"\#(id)","email":"\#(email)","first_name":"N\#(id)"\#(phoneMember),"status":"Active","subscribed":\#(subscribed)}"#
    }

    @Test("the first customer with an email keeps it; a second is sent by external_id alone, in every message")
    func firstOwnerKeeps() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-15T10:00:00-04:00", "login", Self.customer("A", email: "home@example.com")))
        let second = try h.fold(
            Lines.entry(2, "2020-05-15T11:00:00-04:00", "login", Self.customer("B", email: " HOME@example.com")))
        #expect(second.of(.profile).first?.identity.email == nil)
        #expect(second.of(.profile).first?.identity.firstName == "NB")
        #expect(second.events("Logged In").first?.identity == ProfileIdentity(externalID: "B"))
        #expect(h.projection.customers["B"]?.shared == .email)
        #expect(h.projection.customers["A"]?.shared == [])
        #expect(h.projection.identifierOwners["e:home@example.com"] == "A")
        // A's own entries keep sending the email.
        let again = try h.fold(
            Lines.entry(3, "2020-05-15T12:00:00-04:00", "login", Self.customer("A", email: "Home@Example.com")))
        #expect(again.events("Logged In").first?.identity.email == "Home@Example.com")
    }

    @Test("phones are one when their E.164 forms are; the second holder's phone is cleared, not sent")
    func phones() throws {
        var h = ProjectionHarness()
        try h.fold(
            Lines.entry(
                1, "2020-05-15T10:00:00-04:00", "login",
                Self.customer("A", email: "a@example.com", phone: "828-555-0100")))
        try h.fold(
            Lines.entry(
                2, "2020-05-15T11:00:00-04:00", "login",
                Self.customer("B", email: "b@example.com", phone: "828-555-0199")))
        let moved = try h.fold(
            Lines.entry(
                3, "2020-05-15T12:00:00-04:00", "customer.updated",
                Self.customer("B", email: "b@example.com", phone: "+1 (828) 555-0100")))
        let profile = try #require(moved.of(.profile).first)
        #expect(profile.identity.phone == nil && profile.clearedIdentity == [.phone])
        #expect(profile.identity.email == "b@example.com")
        #expect(h.projection.customers["B"]?.shared == .phone)
    }

    @Test("an owner that lets the email go frees it: the other takes it with its next entry, upsert before suppress")
    func releaseAndClaim() throws {
        var h = ProjectionHarness()
        try h.fold(Lines.entry(1, "2020-05-15T10:00:00-04:00", "login", Self.customer("A", email: "home@example.com")))
        try h.fold(Lines.entry(2, "2020-05-15T11:00:00-04:00", "login", Self.customer("B", email: "home@example.com")))
        // Not subscribed, but without an email of its own there is nothing Klaviyo could suppress.
        let unsubscribed = try h.fold(
            Lines.entry(
                3, "2020-05-15T12:00:00-04:00", "email.unsubscribed",
                Self.customer("B", email: "home@example.com", subscribed: false)))
        #expect(unsubscribed.of(.suppress).isEmpty)
        let moved = try h.fold(
            Lines.entry(4, "2020-05-16T10:00:00-04:00", "customer.updated", Self.customer("A", email: "a@example.com")))
        #expect(moved.of(.profile).first?.identity.email == "a@example.com")
        #expect(h.projection.identifierOwners["e:home@example.com"] == nil)
        let claimed = try h.fold(
            Lines.entry(
                5, "2020-05-16T11:00:00-04:00", "login",
                Self.customer("B", email: "home@example.com", subscribed: false)))
        #expect(claimed.map(\.kind).prefix(2) == [.profile, .suppress])
        #expect(claimed.first?.identity.email == "home@example.com")
        #expect(h.projection.identifierOwners["e:home@example.com"] == "B")
        #expect(h.projection.customers["B"]?.shared == [])
    }

    @Test("the shared flags survive the state blob")
    func codec() throws {
        var state = CustomerState(id: "B")
        state.shared = [.email, .phone]
        state.completedSignup = true
        let decoded = try ProjectionCodec.decodeCustomer(ProjectionCodec.encode(state))
        #expect(decoded.shared == [.email, .phone] && decoded.completedSignup)
    }
}
