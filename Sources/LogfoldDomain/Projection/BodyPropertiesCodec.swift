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

    private static let codes: [String: UInt64] = Dictionary(
        uniqueKeysWithValues: vocabulary.enumerated().map { ($0.element, UInt64($0.offset + 1)) })

    /// The tag of an object whose member names are vocabulary codes.
    ///
    /// Code 0 means the name follows as text; the other tags are the compact codec's.
    private static let codedObjectTag: UInt8 = 7

    static func encode(_ value: JSONValue, into w: inout CompactWriter) {
        switch value {
        case .object(let members):
            w.byte(codedObjectTag)
            w.varint(UInt64(members.count))
            for member in members {
                if let code = codes[member.key] {
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
