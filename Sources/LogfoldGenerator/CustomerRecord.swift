/// One person of the synthetic business and everything the platform knows about them right now.
///
/// The `customer` snapshot of every entry is rendered from this record at the entry's time.
struct CustomerRecord {
    /// The contract's statuses.
    enum Status: UInt8 { case prospect, active, onHold, stopped, dead }

    /// The contract's schedules (`none` is JSON `null`).
    enum Schedule: UInt8 {
        case none, weekly, biweekly, monthly

        /// Days between deliveries (monthly is every four weeks, so the weekday stays).
        var period: Int {
            switch self {
            case .none, .weekly: 7
            case .biweekly: 14
            case .monthly: 28
            }
        }
    }

    /// How the person came: the sign-up page, a promo (partner) account, or a gift they received.
    enum Channel: UInt8 { case organic, promo, gift }

    /// A recurring add-on setting: this product in every order.
    struct Recurring {
        var product: Int
        var quantity: Int
    }

    // Identity (re-rendered into `identity` when any of it changes).
    var number: Int
    var firstName: Int
    var lastName: Int
    var email: [UInt8]
    var areaCode: Int
    var phoneSuffix: Int
    var houseNumber: Int
    var street: Int
    var unit: Int
    var unitPrefix: Int
    var city: Int
    var zip: Int
    /// `{"id":"…","email":"…",…,"address":{…}` — everything up to `status`, without a closing brace.
    var identity: [UInt8] = []

    // Subscription.
    var status: Status = .prospect
    var schedule: Schedule = .none
    var box: Int = -1
    /// The box chosen in the cart, before the signup is complete.
    var cartBox: Int = -1
    /// The add-on chosen in the cart, or -1.
    var cartAddon: Int = -1
    /// `,"signup_date":"…"`, empty before the signup is complete.
    var signupDate: [UInt8] = []
    /// The local day of the next delivery, or -1 when none is planned.
    var nextDelivery: Int = -1
    /// The next delivery by the schedule alone (before adds and skips).
    var naturalNextDelivery: Int = -1
    var cancelDay: Int = -1
    var subscribed: Bool
    var deliveryWeekday: Int
    /// Bumped on every change of status: planned lifecycle work (cancel, death, expiry) checks it.
    var epoch: UInt32 = 0
    /// Bumped whenever the planned order creation must be forgotten (a new date, a new status).
    var cycleToken: UInt32 = 0
    /// The delivery before the last add or skip, which `schedule.reset` restores.
    var resetDelivery: Int = -1
    /// The order slot of the current delivery cycle, or -1.
    var cycleOrder: Int = -1
    var recurring: [Recurring] = []
    var scheduleModified = false
    var substitutionsMade = 0
    var lastSubstitution = 0

    // History and traits.
    var channel: Channel
    var referrer: Int = -1
    var completedOrders = 0
    /// More likely to have a payment declined.
    var risky: Bool
    var remindersOn: Bool
    var birthdayAdded = false
    /// Index into `Phrases.discountCodes` for the first order, or -1.
    var pendingDiscount: Int = -1
    /// Gift certificate value (cents) to use on the first order, 0 when none.
    var giftCredit = 0
    var giftCode: [UInt8] = []
    /// Index into `Phrases.promoCodes` for promo accounts, or -1.
    var promo: Int = -1
    var signupStarts = 0
    /// Account credit from referrals, in cents.
    var creditCents = 0
    /// What the last schedule change was, for `schedule.reset`: 1 an added delivery, 2 a skipped one.
    var scheduleModification = 0
    var cardLast4: Int
    /// How often this person visits, in tenths of the average (4 = rarely, 35 = nearly daily).
    var engagement: Int
}
