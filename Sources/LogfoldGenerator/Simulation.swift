/// The discrete-event simulation behind `SyntheticLog`: a produce-box business lived second by second.
///
/// Everything that will happen is a `Pending` item in one agenda ordered by (time, scheduling order);
/// handling an item changes the people and orders it concerns, writes the entries it causes (all at
/// the item's time, so the output is in time order) and schedules what follows. A customer's snapshot
/// is rendered from their record at that moment, so it is always their current state.
struct Simulation: ~Copyable {
    /// Output chunks handed to the sink are about this size (always whole lines).
    static let chunkSize = 64 * 1_024

    let configuration: GeneratorConfiguration
    let catalog = Catalog.shared
    var rng: Xoshiro256StarStar
    var clock: LocalClock
    var writer = ByteWriter(capacity: 256 * 1_024)
    var queue = EventQueue()
    var customers: [CustomerRecord] = []
    var orders: [OrderRecord] = []
    var freeOrders: [Int] = []
    /// Emails in use, to keep them unique (membership tests only: never iterated).
    var emails: Set<[UInt8]> = []
    var typeCounts: [Int] = Array(repeating: 0, count: EntryType.allCases.count)
    var entryCount = 0
    var byteCount = 0
    /// The time of the item being handled, and its local day.
    var now: Int64 = 0
    var today = 0
    /// Whether the entry being written has opened its `data` object.
    var hasData = false
    var nextLogID: Int
    var nextCustomerNumber: Int
    var nextOrderNumber: Int
    var nextLineID: Int
    let endTime: Int64
    /// How many people arrive on each local day.
    let arrivals: [Int]

    init(_ configuration: GeneratorConfiguration) {
        self.configuration = configuration
        let days = max(0, configuration.days)
        var rng = Xoshiro256StarStar(seed: configuration.seed)
        clock = LocalClock(zone: configuration.zone, start: configuration.start, days: days)
        endTime = clock.instant(day: days, second: 0)
        nextLogID = 88_000_000 + rng.below(900_000)
        nextCustomerNumber = 1_100_000 + rng.below(60_000)
        nextOrderNumber = 2_400_000 + rng.below(100_000)
        nextLineID = 9_000_000 + rng.below(500_000)
        arrivals = Simulation.arrivalsPerDay(
            customers: max(0, configuration.customers), days: days, clock: clock
        )
        self.rng = rng
    }

    /// Spreads `customers` arrivals over the days: a launch fortnight (the business moves onto the
    /// platform and its customers sign up again: four times the daily rate), then a growing business
    /// (twice as many a day at the end of a year as at the start), busier on Sunday and Monday, with a
    /// New Year's bump, a summer-produce bump and a quiet end of December.
    static func arrivalsPerDay(customers: Int, days: Int, clock: LocalClock) -> [Int] {
        guard days > 0 else { return [] }
        let weekdayFactor: [Double] = [1.25, 1.2, 1.0, 0.95, 0.9, 0.8, 0.75]
        var weights: [Double] = []
        weights.reserveCapacity(days)
        for day in 0..<days {
            let date = clock.date(ofDay: day)
            var w = (1.0 + Double(day) / Double(max(days, 180))) * weekdayFactor[clock.weekday(ofDay: day)]
            if day < 14 { w *= 4 }
            if date.month == 1, date.day <= 21 { w *= 1.3 }
            if (6...8).contains(date.month) { w *= 1.15 }
            if date.month == 12, date.day >= 20 { w *= 0.75 }
            weights.append(w)
        }
        var total = 0.0
        for w in weights { total += w }
        var counts: [Int] = []
        counts.reserveCapacity(days)
        var cumulative = 0.0
        var assigned = 0
        for w in weights {
            cumulative += w
            let target = Int((cumulative / total * Double(customers)).rounded())
            counts.append(min(customers, target) - assigned)
            assigned = min(customers, target)
        }
        counts[days - 1] += customers - assigned
        return counts
    }

    /// Runs the whole period, handing whole-line chunks of about `chunkSize` bytes to `sink`.
    mutating func run(_ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows -> GeneratorSummary {
        if !arrivals.isEmpty { queue.push(clock.instant(day: 0, second: 0), .dayStart, customer: 0) }
        while let item = queue.pop() {
            if item.time >= endTime { break }
            now = item.time
            today = clock.day(of: now)
            handle(item)
            if writer.count >= Simulation.chunkSize { try flush(sink) }
        }
        try flush(sink)
        var counts: [(String, Int)] = []
        for type in EntryType.allCases where typeCounts[type.rawValue] > 0 {
            counts.append((type.name.description, typeCounts[type.rawValue]))
        }
        counts.sort { $0.0 < $1.0 }
        return GeneratorSummary(entries: entryCount, bytes: byteCount, countsByType: counts)
    }

    private mutating func flush(_ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard writer.count > 0 else { return }
        try writer.withBytes(sink)
        byteCount += writer.count
        writer.removeAll()
    }

    private mutating func handle(_ item: Pending) {
        let c = Int(item.customer)
        let ref = Int(item.ref)
        switch item.action {
        case .dayStart: startDay(ref)
        case .arrive: arrive(channel: CustomerRecord.Channel(rawValue: UInt8(ref)) ?? .organic)
        case .startSignup: if customers[c].status == .prospect { beginSignup(c) }
        case .completeSignup: completeSignup(c, promo: ref == 1)
        case .session: session(c, intent: SessionIntent(rawValue: ref) ?? .browse, epoch: item.epoch)
        case .sessionStep: sessionStep(c, remaining: ref, flags: item.epoch)
        case .createOrder: createScheduledOrder(c, deliveryDay: ref, token: item.epoch)
        case .bill: bill(ref, retry: false)
        case .retryBill: bill(ref, retry: true)
        case .ship: ship(ref)
        case .shippingEmail: sendShippingEmail(ref)
        case .remind: remind(ref)
        case .deliver: deliver(ref)
        case .refund: refund(ref)
        case .chargeback: chargeback(ref)
        case .stoppedFate: stoppedFate(c, epoch: item.epoch)
        case .holdExpiry: holdExpiry(c, epoch: item.epoch)
        case .referralCredit: referralCredit(referrer: c, referred: ref)
        case .mailbox: mailbox(c)
        }
    }

    /// Local midnight: schedules tomorrow's midnight and today's arrivals at plausible hours.
    private mutating func startDay(_ day: Int) {
        if day + 1 < arrivals.count {
            queue.push(clock.instant(day: day + 1, second: 0), .dayStart, customer: 0, ref: day + 1)
        }
        for _ in 0..<arrivals[day] {
            let r = rng.below(100)
            let channel: CustomerRecord.Channel = r < 92 ? .organic : (r < 96 ? .promo : .gift)
            queue.push(
                clock.instant(day: day, second: randomTimeOfDay()), .arrive, customer: 0, ref: Int(channel.rawValue))
        }
    }

    // MARK: Time helpers

    /// How busy each local hour is with people's own actions (visits, signups): evenings peak.
    private static let hourWeights: [Int] = [
        4, 2, 1, 1, 1, 2, 5, 9, 11, 12, 12, 12, 14, 13, 12, 12, 12, 13, 15, 18, 19, 16, 10, 6,
    ]

    /// A second of the day, drawn by the hour weights.
    mutating func randomTimeOfDay() -> Int {
        rng.weighted(Simulation.hourWeights) * 3_600 + rng.below(3_600)
    }

    /// An instant on local `day` between `fromHour` and `fromHour + hours`, never earlier than a minute
    /// from now (platform robots run at fixed hours: order creation at night, billing at dawn).
    mutating func robotTime(day: Int, fromHour: Int, hours: Int) -> Int64 {
        let t = clock.instant(day: day, second: fromHour * 3_600 + rng.below(hours * 3_600))
        return max(t, now + 60 + Int64(rng.below(600)))
    }

    /// A plausible time for someone's visit about `meanDays` from now (uniform 0.1-1.9 × the mean,
    /// at an hour drawn by the hour weights), at least half an hour away.
    mutating func visitTime(meanDays: Double) -> Int64 {
        let days = meanDays * (0.1 + 1.8 * rng.unit())
        let target = now + Int64(days * 86_400)
        let t = clock.instant(day: clock.day(of: target), second: randomTimeOfDay())
        return max(t, now + 1_800 + Int64(rng.below(7_200)))
    }

    /// The first day on or after `earliest` that falls on `weekday`.
    func firstDay(onOrAfter earliest: Int, weekday: Int) -> Int {
        earliest + (weekday - clock.weekday(ofDay: earliest) + 7) % 7
    }
}
