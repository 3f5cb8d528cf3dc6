/// The binary form of a message's properties in its outbox body: the journal's compact JSON values,
/// except that an object's member names the fold writes on every message (`OrderId`, `Items`, `SKU`,
/// `Status`, …) take one byte instead of their text.
///
/// An order event repeats ten names per line item: spelled out, they were 40% of its body and a fifth of
/// the outbox table. Names outside the vocabulary (an activity's `data` members) are kept as text, so
/// any object round-trips.
enum BodyPropertiesCodec {
    /// Append-only: a name's code is its position plus one, and stored bodies keep their codes.
    static let vocabulary: [String] = [
        // Order events and Ordered Product.
        "OrderId", "Reason", "ItemNames", "Categories", "Discount Code", "Discount Value", "DeliveryDate",
        "Items", "ProductID", "SKU", "ProductName", "Quantity", "ItemPrice", "RowTotal", "ProductURL",
        "ImageURL", "ProductCategories", "Kind",
        // Started Checkout, Cancelled Account, Completed Signup.
        "CheckoutURL", "Cancellation Date", "Completed Signup",
        // Profile upserts.
        "Status", "Schedule", "Box", "SignUpDate", "NextDelivery", "CancelDate", "Order This Week",
        "Missed Signup",
    ]

    /// Each vocabulary name as a JSON member name, quoted and with its colon (`"Name":`): written as it is
    /// for every coded member the sender renders, instead of quoting the name again each time.
    static let quotedVocabulary: [[UInt8]] = vocabulary.map { name in
        var bytes: [UInt8] = []
        JSONText.appendQuoted(name, to: &bytes)
        bytes.append(0x3A)
        return bytes
    }

    /// The vocabulary's codes by name length, first and last byte.
    ///
    /// Open addressing: 0 is an empty slot, any other value a code, checked against the whole name.
    /// Hashing each name whole (`[String: UInt64]`) was a third of encoding a body.
    private static let slots: [UInt8] = {
        var slots = [UInt8](repeating: 0, count: slotCount)
        for (offset, name) in vocabulary.enumerated() {
            var slot = firstSlot(of: name)
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = UInt8(offset + 1)
        }
        return slots
    }()

    /// A power of two, at least four times the vocabulary.
    private static let slotCount = 128

    private static func firstSlot(of name: String) -> Int {
        let utf8 = name.utf8
        let first = Int(utf8.first ?? 0)
        let last = Int(utf8.last ?? 0)
        return (utf8.count &* 37 &+ first &* 11 &+ last) & (slotCount - 1)
    }

    /// The code of a member name; `nil` outside the vocabulary.
    static func code(of name: String) -> UInt64? {
        var slot = firstSlot(of: name)
        while case let code = slots[slot], code != 0 {
            if vocabulary[Int(code) - 1] == name { return UInt64(code) }
            slot = (slot + 1) & (slotCount - 1)
        }
        return nil
    }

    /// The tag of an object whose member names are vocabulary codes.
    ///
    /// Code 0 means the name follows as text; the other tags are the compact codec's.
    static let codedObjectTag: UInt8 = 7

    static func encode(_ value: JSONValue, into w: inout CompactWriter) {
        switch value {
        case .object(let members):
            w.byte(codedObjectTag)
            w.varint(UInt64(members.count))
            for member in members {
                if let code = code(of: member.key) {
                    w.varint(code)
                } else {
                    w.varint(0)
                    w.string(member.key)
                }
                encode(member.value, into: &w)
            }
        case .array(let elements):
            w.byte(5)
            w.varint(UInt64(elements.count))
            for element in elements { encode(element, into: &w) }
        case .null, .bool, .number, .string:
            CompactEntryCodec.encode(value, into: &w)
        }
    }

    static func decode(_ r: inout CompactReader, depth: Int = 0) throws(CompactDecodingError) -> JSONValue {
        guard depth <= JSONScanner.maximumDepth else {
            throw CompactDecodingError(reason: "nesting too deep", offset: r.index)
        }
        var peek = r
        switch try peek.byte() {
        case codedObjectTag:
            r = peek
            let count = try r.varint()
            guard count <= 1_000_000 else { throw CompactDecodingError(reason: "object too large", offset: r.index) }
            var members: [JSONValue.Member] = []
            for _ in 0..<count {
                let code = try r.varint()
                let key: String
                if code == 0 {
                    key = try r.string()
                } else if code <= UInt64(vocabulary.count) {
                    key = vocabulary[Int(code) - 1]
                } else {
                    throw CompactDecodingError(reason: "unknown property name code \(code)", offset: r.index)
                }
                members.append(JSONValue.Member(key, try decode(&r, depth: depth + 1)))
            }
            return .object(members)
        case 5:
            r = peek
            let count = try r.varint()
            guard count <= 1_000_000 else { throw CompactDecodingError(reason: "array too long", offset: r.index) }
            var elements: [JSONValue] = []
            for _ in 0..<count { elements.append(try decode(&r, depth: depth + 1)) }
            return .array(elements)
        default:
            return try CompactEntryCodec.decodeValue(&r, depth: depth)
        }
    }
}
