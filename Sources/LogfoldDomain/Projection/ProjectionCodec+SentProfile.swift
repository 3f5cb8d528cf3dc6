extension ProjectionCodec {
    /// The members of a ``SentProfile`` that its customer's own state also gives, as bits of the mask a
    /// version 2 blob writes: a set bit means the member is written because it differs.
    private enum SentMember {
        static let externalID: UInt64 = 1 << 0
        static let email: UInt64 = 1 << 1
        static let firstName: UInt64 = 1 << 2
        static let lastName: UInt64 = 1 << 3
        static let phone: UInt64 = 1 << 4
        static let status: UInt64 = 1 << 5
        static let schedule: UInt64 = 1 << 6
        static let box: UInt64 = 1 << 7
        static let signupDate: UInt64 = 1 << 8
        static let nextDelivery: UInt64 = 1 << 9
        static let cancelDate: UInt64 = 1 << 10
        static let all: UInt64 = (1 << 11) - 1
    }

    /// Writes the profile last sent as what differs from `derived`, the profile the customer's state
    /// gives (``SentProfile/init(_:weekTag:)``), then the week's tag and the Missed Signup flag.
    ///
    /// Right after an upsert the two are the same, so a blob holds a mask, a tag and a flag where version
    /// 1 held the JSON object with every name and value again: about 45% of a customer's blob, which is
    /// what a customer set aside keeps in memory, and a tree built per touched customer per batch.
    static func encode(_ sent: SentProfile, besides derived: SentProfile, into w: inout CompactWriter) {
        var written: UInt64 = 0
        if sent.externalID != derived.externalID { written |= SentMember.externalID }
        if sent.email != derived.email { written |= SentMember.email }
        if sent.firstName != derived.firstName { written |= SentMember.firstName }
        if sent.lastName != derived.lastName { written |= SentMember.lastName }
        if sent.phone != derived.phone { written |= SentMember.phone }
        if sent.status != derived.status { written |= SentMember.status }
        if sent.schedule != derived.schedule { written |= SentMember.schedule }
        if sent.box != derived.box { written |= SentMember.box }
        if sent.signupDate != derived.signupDate { written |= SentMember.signupDate }
        if sent.nextDelivery != derived.nextDelivery { written |= SentMember.nextDelivery }
        if sent.cancelDate != derived.cancelDate { written |= SentMember.cancelDate }
        w.varint(written)
        if written & SentMember.externalID != 0 { w.string(sent.externalID) }
        if written & SentMember.email != 0 { optional(sent.email, &w) }
        if written & SentMember.firstName != 0 { optional(sent.firstName, &w) }
        if written & SentMember.lastName != 0 { optional(sent.lastName, &w) }
        if written & SentMember.phone != 0 { optional(sent.phone, &w) }
        if written & SentMember.status != 0 { w.byte(sent.status.map { $0.code + 1 } ?? 0) }
        if written & SentMember.schedule != 0 { w.byte(sent.schedule.map { $0.code + 1 } ?? 0) }
        if written & SentMember.box != 0 { optional(sent.box, &w) }
        if written & SentMember.signupDate != 0 { optional(sent.signupDate, &w) }
        if written & SentMember.nextDelivery != 0 { optional(sent.nextDelivery, &w) }
        if written & SentMember.cancelDate != 0 { optional(sent.cancelDate, &w) }
        w.string(sent.weekTag)
        w.byte(sent.missedSignup ? 1 : 0)
    }

    /// Reads what ``encode(_:besides:into:)`` wrote, over `derived` (from the same customer's state).
    static func decodeSentProfile(besides derived: SentProfile, _ r: inout CompactReader)
        throws(CompactDecodingError) -> SentProfile
    {
        let offset = r.index
        let written = try r.varint()
        guard written & ~SentMember.all == 0 else {
            throw CompactDecodingError(reason: "unknown members in the last sent profile", offset: offset)
        }
        var sent = derived
        if written & SentMember.externalID != 0 { sent.externalID = try r.string() }
        if written & SentMember.email != 0 { sent.email = try optional(&r) }
        if written & SentMember.firstName != 0 { sent.firstName = try optional(&r) }
        if written & SentMember.lastName != 0 { sent.lastName = try optional(&r) }
        if written & SentMember.phone != 0 { sent.phone = try optional(&r) }
        if written & SentMember.status != 0 { sent.status = try vocabulary(CustomerStatus.self, &r) }
        if written & SentMember.schedule != 0 { sent.schedule = try vocabulary(DeliverySchedule.self, &r) }
        if written & SentMember.box != 0 { sent.box = try optional(&r) }
        if written & SentMember.signupDate != 0 { sent.signupDate = try optional(&r) }
        if written & SentMember.nextDelivery != 0 { sent.nextDelivery = try optional(&r) }
        if written & SentMember.cancelDate != 0 { sent.cancelDate = try optional(&r) }
        sent.weekTag = try r.string()
        let missedSignup = try r.byte()
        guard missedSignup <= 1 else {
            throw CompactDecodingError(reason: "the Missed Signup flag is \(missedSignup)", offset: r.index - 1)
        }
        sent.missedSignup = missedSignup == 1
        return sent
    }
}
