/// The words people and the platform put into `data`: reasons, messages, notes, codes.
///
/// Pre-escaped once as JSON string literals (quotes included), so writing one is a copy.
enum Phrases {
    /// A JSON string literal (with its quotes) for each text.
    static func quoted(_ texts: [String]) -> [[UInt8]] {
        texts.map { [UInt8(ascii: "\"")] + [UInt8](jsonEscaping: $0) + [UInt8(ascii: "\"")] }
    }

    static let cancelReasons = quoted([
        "Too expensive", "Too much food", "Moving out of the delivery area", "Quality issues",
        "Going on vacation", "Trying another service", "Cooking less at home", "Prefer the farmers market",
        "Not enough variety", "Delivery problems",
    ])

    static let cancelMessages = quoted([
        "We just can't get through a box every week, the fridge is overflowing.",
        "Moving to Denver next month, will miss you guys!",
        "Budget is tight right now. Maybe again in the spring.",
        "Two boxes in a row had bruised peaches and soft tomatoes.",
        "Nothing wrong, we're just traveling a lot this summer.",
        "Please cancel, I keep forgetting to skip the weeks we're away.",
        "The \"Only Organic\" box was great but too pricey for us now.",
        "Thank you for everything 🍑 — we'll be back!",
    ])

    static let contactSubjects = quoted([
        "Missing item", "Delivery question", "Damaged produce", "Billing question", "Change my delivery day",
        "Do you deliver to my area?", "Gift box question", "Account help", "Feedback",
    ])

    static let contactMessages = quoted([
        "My box was missing the avocados this week, can you credit my account?",
        "Can the driver leave the box by the side door instead of the front porch?",
        "Several of the strawberries were moldy when the box arrived.",
        "I was charged twice this week, please check my account.",
        "Is it possible to switch my delivery from Tuesday to Thursday?",
        "Do you deliver to 19063? I'd love to sign up.",
        "How do I send a gift box to my mother in Baltimore?",
        "I can't log in, the magic link says it expired.",
        "Just wanted to say the heirloom tomatoes were amazing — thank you!",
        "Could you add a note that our dog is friendly but the gate must stay \"latched\"?",
    ])

    static let shippingNotes = quoted([
        "Leave at the back door", "Please ring the bell", "Leave with the doorman", "Side porch, behind the bench",
        "Gate code 4421", "Do not leave in the sun", "Leave in the cooler on the porch", "Call on arrival",
        "Deliver to the garage", "Leave by the mailbox",
    ])

    static let refundReasons = quoted([
        "Damaged items", "Missing items", "Late delivery", "Quality complaint", "Wrong box delivered",
    ])

    static let chargebackReasons = quoted(["fraudulent", "product_not_received", "unrecognized", "duplicate"])

    static let declineMessages = quoted([
        "Your card was declined.", "Your card has insufficient funds.", "Your card has expired.",
        "The card's security code is incorrect.", "Processing error, please try again.",
    ])

    /// The processor's response codes, in the order of `declineReasons`.
    static let declineGatewayCodes = quoted(["05", "51", "54", "N7", "96"])

    static let declineReasons = quoted([
        "card_declined", "insufficient_funds", "expired_card", "incorrect_cvc", "processing_error",
    ])

    static let cardBrands = quoted(["Visa", "Visa", "Mastercard", "Mastercard", "Amex", "Discover"])

    static let carriers = quoted(["Kiva Local Routes", "Kiva Local Routes", "Kiva Local Routes", "UPS", "FedEx"])

    /// A box-content item: quoted SKU and quoted name.
    struct Produce: Sendable {
        let sku: [UInt8]
        let name: [UInt8]

        init(_ name: String) {
            self.name = Phrases.quoted([name])[0]
            let letters = name.uppercased().unicodeScalars.filter { ("A"..."Z").contains($0) }
            sku = Phrases.quoted(["BOX-" + String(String.UnicodeScalarView(letters))])[0]
        }
    }

    static let skipReasons = quoted([
        "Going out of town", "Still have produce from last week", "Hosting guests elsewhere", "Budget this week",
        "Eating out more this week",
    ])

    /// Box-content substitutions: what goes out, what comes in.
    static let substitutions: [(out: Produce, into: Produce)] = {
        let pairs = [
            ("Lacinato Kale", "Rainbow Chard"), ("Russet Potatoes", "Sweet Potatoes"), ("Bananas", "Bosc Pears"),
            ("Green Cabbage", "Broccoli Crowns"), ("Yellow Onions", "Leeks"), ("Navel Oranges", "Clementines"),
            ("Zucchini", "Yellow Squash"), ("Red Delicious Apples", "Gala Apples"), ("Celery", "Cucumbers"),
            ("Beets", "Rainbow Carrots"), ("Iceberg Lettuce", "Spring Salad Mix"), ("Cauliflower", "Romanesco"),
        ]
        return pairs.map { (out: Produce($0.0), into: Produce($0.1)) }
    }()

    /// Discount codes with their value in cents (fixed) or percent (negative: -20 = 20 %).
    static let discountCodes: [(code: [UInt8], value: Int)] = [
        (quoted(["WELCOME10"])[0], 1_000), (quoted(["FRESH20"])[0], -20), (quoted(["FIRSTBOX15"])[0], 1_500),
        (quoted(["SPRING5"])[0], 500), (quoted(["FRIEND20"])[0], 2_000), (quoted(["HARVEST25"])[0], -25),
    ]

    static let promoCodes = quoted(["WORKPLACE-WELLNESS", "HOSPITAL-HEROES", "CSA-PARTNER", "PODCAST50", "TEACHERS"])

    static let promoPartners = quoted([
        "Allegheny Health Network", "Penn Medicine", "Columbus City Schools", "The Good Food Podcast",
        "Local CSA Co-op",
    ])

    static let campaigns = quoted([
        "Weekly Menu", "Weekly Menu", "Weekly Menu", "Spring Produce Preview", "Summer Stone Fruit",
        "Fall Harvest Boxes", "Holiday Gift Boxes", "We Miss You", "Refer a Friend",
    ])

    static let giftRecipients = quoted([
        "Mom", "Dad", "Grandma Rose", "Aunt Linda", "the Parkers", "Sam & Alex", "My sister", "Coach Miller",
        "New neighbors", "Dr. Patel",
    ])

    static let unsubscribeSources = quoted([
        "email_link", "email_link", "email_link", "account_settings", "spam_complaint",
    ])

    static let subscribeSources = quoted(["account_settings", "preference_center", "checkout"])

    static let devices = quoted(["mobile", "mobile", "desktop", "desktop", "tablet", "ios_app"])
}
