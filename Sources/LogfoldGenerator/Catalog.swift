/// What Kiva Logic's produce-box store sells: boxes (`sub`), the weekly market menu (`menu`) and
/// add-ons (`addon`), with their order-line JSON pre-rendered so an order is written by copying bytes.
struct Catalog: Sendable {
    /// How a product appears on an order line.
    enum Kind: Sendable { case sub, menu, addon }

    /// One product and its pre-rendered JSON pieces.
    struct Product: Sendable {
        let productID: Int
        let sku: String
        let name: String
        let cents: Int
        let kind: Kind
        /// `"Name"` with quotes, escaped.
        let quotedName: [UInt8]
        /// `"sku"` with quotes.
        let quotedSKU: [UInt8]
        /// The item's JSON from `"product_id"` up to the quantity's value.
        let head: [UInt8]
        /// The item's JSON between quantity and row total: `,"price":47.95,"row_total":`.
        let price: [UInt8]
        /// The item's JSON after the row total: url, image url, categories, kind and the closing brace.
        let tail: [UInt8]

        init(_ productID: Int, _ sku: String, _ name: String, _ cents: Int, _ kind: Kind, _ categories: [String]) {
            self.productID = productID
            self.sku = sku
            self.name = name
            self.cents = cents
            self.kind = kind
            let escapedName = String(decoding: [UInt8](jsonEscaping: name), as: UTF8.self)
            quotedName = Array("\"\(escapedName)\"".utf8)
            quotedSKU = Array("\"\(sku)\"".utf8)
            head = Array(
                "\"product_id\":\"\(productID)\",\"sku\":\"\(sku)\",\"name\":\"\(escapedName)\",\"quantity\":".utf8)
            let dollars = "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
            price = Array(",\"price\":\(dollars),\"row_total\":".utf8)
            var slug = ""
            var dash = false
            for c in name.lowercased().unicodeScalars {
                if ("a"..."z").contains(c) || ("0"..."9").contains(c) {
                    if dash, !slug.isEmpty { slug += "-" }
                    slug.unicodeScalars.append(c)
                    dash = false
                } else {
                    dash = true
                }
            }
            let kindName: String
            switch kind {
            case .sub: kindName = "sub"
            case .menu: kindName = "menu"
            case .addon: kindName = "addon"
            }
            let categoryList = categories.map { "\"\($0)\"" }.joined(separator: ",")
            tail = Array(
                (",\"url\":\"https://shop.example/item/\(slug)\",\"image_url\":\"https://img.shop.example/p/\(productID).jpg\""
                    + ",\"categories\":[\(categoryList)],\"kind\":\"\(kindName)\",\"brand\":\"\(Self.brand(of: kind))\"}")
                    .utf8
            )
        }

        /// The brand a product of `kind` is sold under (contract v1.1's item `brand`).
        static func brand(of kind: Kind) -> String {
            switch kind {
            case .sub, .menu: "Kiva Logic"
            case .addon: "Local Partners"
            }
        }
    }

    /// The one catalog.
    static let shared = Catalog()

    let products: [Product]
    /// Indices into `products` of the boxes, the menu and the add-ons.
    let boxes: [Int]
    let menu: [Int]
    let addons: [Int]
    /// How often each box (in `boxes` order) is chosen at signup.
    let boxWeights: [Int] = [22, 20, 10, 10, 16, 6, 8, 8]

    private init() {
        let boxes: [Product] = [
            Product(701, "SMALLBOXFRUITSVEGGIES", "Small Box Fruits & Veggies", 2_995, .sub, ["Boxes"]),
            Product(702, "MEDIUMBOXFRUITSVEGGIES", "Medium Box Fruits & Veggies", 3_995, .sub, ["Boxes"]),
            Product(703, "LARGEBOXFRUITSVEGGIES", "Large Box Fruits & Veggies", 5_295, .sub, ["Boxes"]),
            Product(704, "ALLVEGGIESMALLBOX", "All Veggie Small Box", 3_195, .sub, ["Boxes", "Vegetables"]),
            Product(
                705, "ONLYORGANICSMALLBOX", "Only Organic Small Box Fruits & Veggies", 4_795, .sub,
                ["Boxes", "Organic"]),
            Product(
                706, "ONLYORGANICLARGEBOX", "Only Organic Large Box Fruits & Veggies", 6_995, .sub,
                ["Boxes", "Organic"]),
            Product(707, "FRUITLOVERSBOX", "Fruit Lovers Box", 3_695, .sub, ["Boxes", "Fruit"]),
            Product(708, "LOCALHARVESTBOX", "Local Harvest Box", 4_495, .sub, ["Boxes", "Local"]),
        ]
        let menu: [Product] = [
            Product(1201, "AVOCADOHASS3", "Hass Avocados (3 ct)", 450, .menu, ["Fruit"]),
            Product(1202, "APPLEHONEYCRISP2LB", "Honeycrisp Apples (2 lb)", 595, .menu, ["Fruit"]),
            Product(1203, "STRAWBERRYORG1LB", "Organic Strawberries (1 lb)", 550, .menu, ["Fruit", "Organic"]),
            Product(1204, "SPINACHBABY5OZ", "Baby Spinach (5 oz)", 395, .menu, ["Vegetables", "Greens"]),
            Product(1205, "TOMATOHEIRLOOM", "Heirloom Tomatoes (1.5 lb)", 650, .menu, ["Vegetables"]),
            Product(1206, "CORNSWEET4", "Sweet Corn (4 ears)", 400, .menu, ["Vegetables", "Local"]),
            Product(1207, "BLUEBERRYPINT", "Blueberries (pint)", 695, .menu, ["Fruit"]),
            Product(1208, "CHERRYRAINIER1LB", "Rainier Cherries (1 lb)", 895, .menu, ["Fruit"]),
            Product(1209, "SHIITAKE8OZ", "Shiitake Mushrooms (8 oz)", 625, .menu, ["Vegetables"]),
            Product(1210, "SWEETPOTATO2LB", "Sweet Potatoes (2 lb)", 395, .menu, ["Vegetables"]),
            Product(1211, "KALELACINATO", "Lacinato Kale (bunch)", 295, .menu, ["Vegetables", "Greens"]),
            Product(1212, "GARLIC3", "Garlic (3 heads)", 250, .menu, ["Vegetables"]),
            Product(1213, "LEMONMEYER4", "Meyer Lemons (4 ct)", 495, .menu, ["Fruit"]),
            Product(1214, "MANGOATAULFO2", "Ataulfo Mangoes (2 ct)", 450, .menu, ["Fruit"]),
            Product(1215, "ASPARAGUS1LB", "Asparagus (1 lb)", 595, .menu, ["Vegetables"]),
            Product(1216, "PEACHYELLOW4", "Yellow Peaches (4 ct)", 550, .menu, ["Fruit", "Local"]),
            Product(1217, "BROCCOLICROWNS", "Broccoli Crowns (1.25 lb)", 375, .menu, ["Vegetables"]),
            Product(1218, "CARROTRAINBOW", "Rainbow Carrots (bunch)", 325, .menu, ["Vegetables"]),
            Product(1219, "PEARBOSC3", "Bosc Pears (3 ct)", 425, .menu, ["Fruit"]),
            Product(1220, "GRAPESCOTTON", "Cotton Candy Grapes (1.5 lb)", 799, .menu, ["Fruit"]),
            Product(1221, "HERBBASIL", "Fresh Basil (bunch)", 275, .menu, ["Herbs"]),
            Product(1222, "SALADMIX8OZ", "Spring Salad Mix (8 oz)", 495, .menu, ["Vegetables", "Greens"]),
            Product(1223, "PEPPERSMINI1LB", "Mini Sweet Peppers (1 lb)", 525, .menu, ["Vegetables"]),
            Product(1224, "CITRUSSAMPLER", "Winter Citrus Sampler", 1_200, .menu, ["Fruit"]),
        ]
        let addons: [Product] = [
            Product(3101, "EGGSPASTURE12", "Pasture-Raised Eggs (dozen)", 750, .addon, ["Add-ons", "Dairy & Eggs"]),
            Product(3102, "BREADSOURDOUGH", "Sourdough Boule", 795, .addon, ["Add-ons", "Bakery"]),
            Product(3103, "HONEYWILD12OZ", "Wildflower Honey (12 oz)", 1_100, .addon, ["Add-ons", "Pantry"]),
            Product(3104, "COLDBREW32OZ", "Cold Brew Coffee (32 oz)", 1_200, .addon, ["Add-ons", "Beverages"]),
            Product(3105, "YOGURTGREEK32OZ", "Greek Yogurt (32 oz)", 650, .addon, ["Add-ons", "Dairy & Eggs"]),
            Product(3106, "ALMONDSRAW1LB", "Raw Almonds (1 lb)", 995, .addon, ["Add-ons", "Pantry"]),
            Product(3107, "MOZZARELLA8OZ", "Fresh Mozzarella (8 oz)", 695, .addon, ["Add-ons", "Dairy & Eggs"]),
            Product(3108, "OATMILK64OZ", "Oat Milk (64 oz)", 525, .addon, ["Add-ons", "Beverages"]),
            Product(3109, "GRANOLA12OZ", "Maple Pecan Granola (12 oz)", 850, .addon, ["Add-ons", "Pantry"]),
            Product(3110, "FLOWERSBOUQUET", "Seasonal Flower Bouquet", 1_200, .addon, ["Add-ons", "Flowers"]),
            Product(3111, "PASTAFRESH1LB", "Fresh Fettuccine (1 lb)", 675, .addon, ["Add-ons", "Pantry"]),
            Product(3112, "BUTTERCULTURED", "Cultured Butter (8 oz)", 595, .addon, ["Add-ons", "Dairy & Eggs"]),
        ]
        products = boxes + menu + addons
        self.boxes = Array(0..<boxes.count)
        self.menu = Array(boxes.count..<(boxes.count + menu.count))
        self.addons = Array((boxes.count + menu.count)..<products.count)
    }
}
