/// The order's current data as the platform reported it with an entry.
package struct OrderSnapshot: Sendable, Hashable {
    /// The platform's order id; Placed Order's `unique_id`.
    package var id: String
    package var customerID: String?
    package var status: OrderStatus?
    package var createdAt: Timestamp?
    /// A calendar date (`YYYY-MM-DD`).
    package var deliveryDate: String?
    package var total: Money?
    /// ISO 4217 code; `nil` means the contract's default, USD.
    package var currency: String?
    package var discountCode: String?
    package var discountValue: Money?
    package var items: [LineItem]

    /// Creates a snapshot; every field but the id is optional.
    package init(
        id: String,
        customerID: String? = nil,
        status: OrderStatus? = nil,
        createdAt: Timestamp? = nil,
        deliveryDate: String? = nil,
        total: Money? = nil,
        currency: String? = nil,
        discountCode: String? = nil,
        discountValue: Money? = nil,
        items: [LineItem] = []
    ) {
        self.id = id
        self.customerID = customerID
        self.status = status
        self.createdAt = createdAt
        self.deliveryDate = deliveryDate
        self.total = total
        self.currency = currency
        self.discountCode = discountCode
        self.discountValue = discountValue
        self.items = items
    }
}

/// The checkout cart reported with `started.signup`.
package struct CartSnapshot: Sendable, Hashable {
    /// The cart id; with the unix time of the entry it forms Started Checkout's `unique_id`.
    package var id: String
    package var total: Money?
    package var checkoutURL: String?
    package var items: [LineItem]

    /// Creates a cart snapshot.
    package init(id: String, total: Money? = nil, checkoutURL: String? = nil, items: [LineItem] = []) {
        self.id = id
        self.total = total
        self.checkoutURL = checkoutURL
        self.items = items
    }
}

/// One line of an order or a cart.
package struct LineItem: Sendable, Hashable {
    /// The platform's id of the order line; it makes Ordered Product's `unique_id` unambiguous.
    package var lineID: String?
    package var productID: String?
    package var sku: String?
    package var name: String?
    package var quantity: Int64?
    package var price: Money?
    package var rowTotal: Money?
    package var url: String?
    package var imageURL: String?
    package var categories: [String]
    package var kind: ItemKind?
    /// The product's brand (contract v1.1): Klaviyo's guide sends it as `Brand` / `ProductBrand`.
    package var brand: String?

    /// Creates a line; every field is optional.
    package init(
        lineID: String? = nil,
        productID: String? = nil,
        sku: String? = nil,
        name: String? = nil,
        quantity: Int64? = nil,
        price: Money? = nil,
        rowTotal: Money? = nil,
        url: String? = nil,
        imageURL: String? = nil,
        categories: [String] = [],
        kind: ItemKind? = nil,
        brand: String? = nil
    ) {
        self.lineID = lineID
        self.productID = productID
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.price = price
        self.rowTotal = rowTotal
        self.url = url
        self.imageURL = imageURL
        self.categories = categories
        self.kind = kind
        self.brand = brand
    }
}
