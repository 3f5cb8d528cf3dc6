/// A message's properties as its outbox body stores them (``BodyPropertiesCodec``'s form): written by
/// the fold straight into bytes, so a replay builds no `JSONValue` tree per message.
///
/// Building each message's tree, encoding it and freeing it was about a fifth of folding an entry.
/// Comparing two compares their bytes: equal bytes are equal trees, but two trees whose strings differ
/// only in Unicode normalisation (equal as Swift `String`s) compare unequal here. Only tests compare
/// messages. ``value`` decodes the tree, for tests and inspection.
package struct MessageProperties: Sendable, Hashable {
    /// The encoded object, as the body's properties are written.
    package let encoded: [UInt8]

    /// Bytes a ``PropertiesWriter`` wrote.
    fileprivate init(encoded: [UInt8]) { self.encoded = encoded }

    /// Encodes a tree: properties the fold does not write member by member (an activity's `data`).
    package init(_ value: JSONValue) {
        var w = CompactWriter(capacity: 128)
        BodyPropertiesCodec.encode(value, into: &w)
        encoded = w.bytes
    }

    /// The properties of an object with these members.
    package static func object(_ members: [JSONValue.Member]) -> MessageProperties {
        MessageProperties(.object(members))
    }

    /// No members: `{}`.
    package static let empty = MessageProperties(.object([]))

    /// The properties as a tree, decoded on every call.
    package var value: JSONValue {
        let decoded = encoded.withUnsafeBytes { raw in
            Result { () throws(CompactDecodingError) -> JSONValue in
                var r = CompactReader(raw)
                return try BodyPropertiesCodec.decode(&r)
            }
        }
        switch decoded {
        case .success(let value): return value
        case .failure(let error):
            // Unreachable: the bytes come from `BodyPropertiesCodec.encode` or a `PropertiesWriter`, never
            // from input, and the tests hold both to the decoder.
            preconditionFailure("message properties written by logfold do not decode: \(error)")
        }
    }

    /// The first member named `key`, or `nil`.
    package subscript(key: String) -> JSONValue? { value[key] }
}

/// A property's member name, with its code in ``BodyPropertiesCodec``'s vocabulary looked up once.
package struct PropertyName: Sendable {
    /// The name.
    package let text: String
    /// Its vocabulary code; 0 when the name is written as text.
    let code: UInt64

    /// A name, its code found in the vocabulary.
    package init(_ text: String) {
        self.text = text
        code = BodyPropertiesCodec.code(of: text) ?? 0
    }
}

/// Where a message's properties go, member by member, absent values left out: a tree
/// (``JSONObjectBuilder``) or the body's bytes (``PropertiesWriter``), so each message lists its members
/// once for both and the tests hold the two to each other.
package protocol PropertiesSink {
    /// Adds a member unless the value is absent.
    mutating func add(_ name: PropertyName, _ value: String?)
    /// Adds a member unless the value is absent.
    mutating func add(_ name: PropertyName, _ value: Money?)
    /// Adds a member unless the value is absent.
    mutating func add(_ name: PropertyName, _ value: Int64?)
    /// Adds a boolean member.
    mutating func add(_ name: PropertyName, _ value: Bool)
    /// Adds a `null` member: in a profile upsert, a property to remove.
    mutating func addNull(_ name: PropertyName)
    /// Adds an array of strings, empty or not.
    mutating func add(_ name: PropertyName, strings: [String])
    /// Adds an array of objects, one per element, whose members `members` adds.
    mutating func addObjects<Elements: Collection>(
        _ name: PropertyName, _ elements: Elements, _ members: (Elements.Element, inout Self) -> Void)
}

extension JSONObjectBuilder: PropertiesSink {
    package mutating func add(_ name: PropertyName, _ value: String?) { add(name.text, value) }
    package mutating func add(_ name: PropertyName, _ value: Money?) { add(name.text, value) }
    package mutating func add(_ name: PropertyName, _ value: Int64?) { add(name.text, value) }
    package mutating func add(_ name: PropertyName, _ value: Bool) { add(name.text, value) }
    package mutating func addNull(_ name: PropertyName) { addNull(name.text) }
    package mutating func add(_ name: PropertyName, strings: [String]) { add(name.text, strings: strings) }

    package mutating func addObjects<Elements: Collection>(
        _ name: PropertyName, _ elements: Elements, _ members: (Elements.Element, inout Self) -> Void
    ) {
        addObjects(named: name.text, elements, members)
    }
}

/// Writes a message's properties in ``BodyPropertiesCodec``'s form: byte for byte what encoding the tree
/// ``JSONObjectBuilder`` builds from the same calls writes, without the tree.
package struct PropertiesWriter: PropertiesSink {
    private var w: CompactWriter
    /// Where the open object's member count goes, written when the object closes.
    private var countOffset = 0
    private var count: UInt64 = 0

    /// An empty object, its bytes reserved for `capacity`.
    package init(capacity: Int = 256) {
        w = CompactWriter(capacity: capacity)
        openObject()
    }

    private mutating func openObject() {
        w.byte(BodyPropertiesCodec.codedObjectTag)
        countOffset = w.count
        w.byte(0)
        count = 0
    }

    private mutating func name(_ name: PropertyName) {
        count += 1
        w.varint(name.code)
        if name.code == 0 { w.string(name.text) }
    }

    package mutating func add(_ name: PropertyName, _ value: String?) {
        guard let value else { return }
        self.name(name)
        w.byte(CompactValueTag.string)
        w.string(value)
    }

    package mutating func add(_ name: PropertyName, _ value: Money?) {
        guard let value else { return }
        self.name(name)
        w.byte(CompactValueTag.number)
        value.withDecimalBytes { w.rawString(UnsafeRawBufferPointer($0)) }
    }

    package mutating func add(_ name: PropertyName, _ value: Int64?) {
        guard let value else { return }
        self.name(name)
        w.byte(CompactValueTag.number)
        w.string(String(value))
    }

    package mutating func add(_ name: PropertyName, _ value: Bool) {
        self.name(name)
        w.byte(value ? CompactValueTag.true : CompactValueTag.false)
    }

    package mutating func addNull(_ name: PropertyName) {
        self.name(name)
        w.byte(CompactValueTag.null)
    }

    package mutating func add(_ name: PropertyName, strings: [String]) {
        self.name(name)
        w.byte(CompactValueTag.array)
        w.varint(UInt64(strings.count))
        for string in strings {
            w.byte(CompactValueTag.string)
            w.string(string)
        }
    }

    package mutating func addObjects<Elements: Collection>(
        _ name: PropertyName, _ elements: Elements, _ members: (Elements.Element, inout Self) -> Void
    ) {
        self.name(name)
        w.byte(CompactValueTag.array)
        w.varint(UInt64(elements.count))
        // A nested object closes before the enclosing one goes on, so its count's offset stays valid.
        let (enclosingOffset, enclosingCount) = (countOffset, count)
        for element in elements {
            openObject()
            members(element, &self)
            w.patchVarint(count, at: countOffset)
        }
        (countOffset, count) = (enclosingOffset, enclosingCount)
    }

    /// The properties written, the object closed.
    package consuming func finish() -> MessageProperties {
        w.patchVarint(count, at: countOffset)
        return MessageProperties(encoded: w.bytes)
    }
}

/// The tags of the compact codec's JSON values (``CompactEntryCodec``).
enum CompactValueTag {
    static let null: UInt8 = 0
    static let `false`: UInt8 = 1
    static let `true`: UInt8 = 2
    static let number: UInt8 = 3
    static let string: UInt8 = 4
    static let array: UInt8 = 5
}

extension PropertyName {
    // Order events, their items and Ordered Product (Klaviyo's guide).
    static let orderID = PropertyName("OrderId")
    static let reason = PropertyName("Reason")
    static let itemNames = PropertyName("ItemNames")
    static let categories = PropertyName("Categories")
    static let brands = PropertyName("Brands")
    static let discountCode = PropertyName("Discount Code")
    static let discountValue = PropertyName("Discount Value")
    static let deliveryDate = PropertyName("DeliveryDate")
    static let items = PropertyName("Items")
    static let productID = PropertyName("ProductID")
    static let sku = PropertyName("SKU")
    static let productName = PropertyName("ProductName")
    static let quantity = PropertyName("Quantity")
    static let itemPrice = PropertyName("ItemPrice")
    static let rowTotal = PropertyName("RowTotal")
    static let productURL = PropertyName("ProductURL")
    static let imageURL = PropertyName("ImageURL")
    static let productCategories = PropertyName("ProductCategories")
    static let brand = PropertyName("Brand")
    static let productBrand = PropertyName("ProductBrand")
    static let kind = PropertyName("Kind")
    // Started Checkout.
    static let checkoutURL = PropertyName("CheckoutURL")
    // Profile upserts.
    static let status = PropertyName("Status")
    static let schedule = PropertyName("Schedule")
    static let box = PropertyName("Box")
    static let signUpDate = PropertyName("SignUpDate")
    static let nextDelivery = PropertyName("NextDelivery")
    static let cancelDate = PropertyName("CancelDate")
    static let orderThisWeek = PropertyName("Order This Week")
    static let missedSignup = PropertyName("Missed Signup")
}
