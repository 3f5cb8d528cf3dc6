/// What to generate: the seed, the size of the business and the period.
///
/// Identical configurations give byte-identical logs, on any machine: every random choice comes from a
/// hand-written PRNG seeded from `seed`, and nothing reads a clock or iterates an unordered collection.
package struct GeneratorConfiguration: Sendable, Hashable {
    /// Seed of the PRNG: a different seed gives a different, equally plausible, business.
    package var seed: UInt64 = 1
    /// How many people appear in the log over the whole period (prospects who never finish included).
    ///
    /// They arrive day by day, more and more as the business grows; see `docs/generator.md`.
    package var customers: Int = 20_000
    /// Length of the period in days, from `start` at local midnight.
    package var days: Int = 365
    /// First local day of the log (the store's calendar, in `zone`).
    package var start: CivilDate = CivilDate(year: 2024, month: 1, day: 1)
    /// The store's time zone: every `at` carries its offset (`-05:00` in winter, `-04:00` in summer).
    package var zone: StoreTimeZone = .usEastern
    /// Sprinkle a few entries of types the contract does not know (`SyntheticLog.unknownTypes`).
    ///
    /// Off by default; the contract says such entries are journaled and counted, never rejected.
    package var includeUnknownTypes: Bool = false

    /// A configuration with the defaults: seed 1, 20,000 customers, 365 days from 2024-01-01.
    package init() {}

    /// A configuration with the given sizes and the defaults for everything else.
    package init(seed: UInt64, customers: Int, days: Int, includeUnknownTypes: Bool = false) {
        self.seed = seed
        self.customers = customers
        self.days = days
        self.includeUnknownTypes = includeUnknownTypes
    }
}

/// A day of the proleptic Gregorian calendar, without time or zone.
package struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year (2024).
    package var year: Int
    /// The month, 1...12.
    package var month: Int
    /// The day of the month, 1...31.
    package var day: Int

    /// The date with these fields (not validated: 2024-02-30 is read as 2024-03-01).
    package init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` after 1970-01-01.
    package init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// Days from 1970-01-01 to this date (negative before it).
    package var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Day of the week: 0 is Sunday, 6 is Saturday.
    package var weekday: Int {
        let w = (daysSinceEpoch + 4) % 7
        return w < 0 ? w + 7 : w
    }

    /// `YYYY-MM-DD`.
    package var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Earlier dates come first.
    package static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }
}

/// The store's zone: a standard offset and whether the US daylight-saving rule applies.
///
/// The US rule (since 2007): daylight time from the second Sunday of March, 02:00 local, to the first
/// Sunday of November, 02:00 local. It is computed, never read from the system's zone database, so the
/// output cannot change with the machine.
package enum StoreTimeZone: Sendable, Hashable {
    /// New York: `-05:00`, `-04:00` in summer.
    case usEastern
    /// Chicago: `-06:00`, `-05:00` in summer.
    case usCentral
    /// Denver: `-07:00`, `-06:00` in summer.
    case usMountain
    /// Los Angeles: `-08:00`, `-07:00` in summer.
    case usPacific
    /// A fixed offset east of UTC in minutes, without daylight saving (e.g. `-300`).
    case fixed(minutes: Int)

    /// The standard offset in seconds east of UTC.
    package var standardOffsetSeconds: Int {
        switch self {
        case .usEastern: -5 * 3_600
        case .usCentral: -6 * 3_600
        case .usMountain: -7 * 3_600
        case .usPacific: -8 * 3_600
        case .fixed(let minutes): minutes * 60
        }
    }

    /// Whether the US daylight-saving rule applies.
    package var observesDaylightSaving: Bool {
        if case .fixed = self { return false }
        return true
    }
}
