/// The store's local calendar: local days ↔ UTC instants, and RFC 3339 timestamps with offset.
///
/// Simulation time is UTC seconds since 1970 (`Int64`), so ordering is plain integer ordering even across
/// the autumn change, when local wall-clock time repeats an hour. Local day `0` is the configured start.
struct LocalClock {
    /// Days from 1970-01-01 to the first local day.
    let startDay: Int
    private let standardOffset: Int
    /// Instants (UTC) where the offset changes, ascending: daylight starts at even, ends at odd indices.
    private let transitions: [Int64]
    private var cachedLocalDay = Int.min
    private var cachedDate: [UInt8] = []
    private var cachedOffset = Int.min
    private var cachedOffsetBytes: [UInt8] = []

    init(zone: StoreTimeZone, start: CivilDate, days: Int) {
        startDay = start.daysSinceEpoch
        standardOffset = zone.standardOffsetSeconds
        var transitions: [Int64] = []
        if zone.observesDaylightSaving {
            let lastYear = start.year + days / 365 + 3
            for year in (start.year - 1)...lastYear {
                // Second Sunday of March, 02:00 standard time; first Sunday of November, 02:00 daylight time.
                let march1 = CivilDate(year: year, month: 3, day: 1)
                let secondSunday = march1.daysSinceEpoch + (7 - march1.weekday) % 7 + 7
                let november1 = CivilDate(year: year, month: 11, day: 1)
                let firstSunday = november1.daysSinceEpoch + (7 - november1.weekday) % 7
                transitions.append(Int64(secondSunday * 86_400 + 7_200 - standardOffset))
                transitions.append(Int64(firstSunday * 86_400 + 7_200 - standardOffset - 3_600))
            }
        }
        self.transitions = transitions
    }

    /// The offset east of UTC in seconds in force at `t`.
    func offset(at t: Int64) -> Int {
        var inDaylight = false
        for transition in transitions {
            if t < transition { break }
            inDaylight.toggle()
        }
        return inDaylight ? standardOffset + 3_600 : standardOffset
    }

    /// The instant of `second` seconds after local midnight of local day `day` (0 = the start).
    ///
    /// Wall-clock times that do not exist (the spring gap) land an hour later; repeated ones (the autumn
    /// overlap) take their first occurrence.
    func instant(day: Int, second: Int) -> Int64 {
        let local = Int64((startDay + day) * 86_400 + second)
        let asStandard = local - Int64(standardOffset)
        if offset(at: asStandard - 3_600) != standardOffset { return local - Int64(standardOffset + 3_600) }
        return asStandard
    }

    /// The local day (0 = the start) that contains `t`.
    func day(of t: Int64) -> Int {
        let local = t + Int64(offset(at: t))
        return Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400) - startDay
    }

    /// The calendar date of local day `day`.
    func date(ofDay day: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: startDay + day)
    }

    /// Day of the week of local day `day`, 0 = Sunday.
    func weekday(ofDay day: Int) -> Int {
        let w = (startDay + day + 4) % 7
        return w < 0 ? w + 7 : w
    }

    /// Writes `YYYY-MM-DD` of local day `day`.
    func writeDate(ofDay day: Int, into writer: inout ByteWriter) {
        let date = self.date(ofDay: day)
        writer.fourDigits(date.year)
        writer.byte(UInt8(ascii: "-"))
        writer.twoDigits(date.month)
        writer.byte(UInt8(ascii: "-"))
        writer.twoDigits(date.day)
    }

    /// Writes `t` as RFC 3339 local time with offset, seconds precision: `2024-01-09T13:03:56-05:00`.
    mutating func writeTimestamp(_ t: Int64, into writer: inout ByteWriter) {
        let offset = self.offset(at: t)
        let local = t + Int64(offset)
        let localDay = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let second = Int(local - Int64(localDay) * 86_400)
        if localDay != cachedLocalDay {
            cachedLocalDay = localDay
            let date = CivilDate(daysSinceEpoch: localDay)
            func digit(_ v: Int) -> UInt8 { UInt8(truncatingIfNeeded: 48 + v % 10) }
            cachedDate = [
                digit(date.year / 1_000), digit(date.year / 100), digit(date.year / 10), digit(date.year),
                UInt8(ascii: "-"), digit(date.month / 10), digit(date.month), UInt8(ascii: "-"),
                digit(date.day / 10), digit(date.day), UInt8(ascii: "T"),
            ]
        }
        if offset != cachedOffset {
            cachedOffset = offset
            let minutes = abs(offset) / 60
            let hh = minutes / 60
            let mm = minutes % 60
            cachedOffsetBytes = [
                UInt8(ascii: offset < 0 ? "-" : "+"),
                UInt8(48 + hh / 10), UInt8(48 + hh % 10), UInt8(ascii: ":"), UInt8(48 + mm / 10), UInt8(48 + mm % 10),
            ]
        }
        writer.append(cachedDate)
        writer.twoDigits(second / 3_600)
        writer.byte(UInt8(ascii: ":"))
        writer.twoDigits(second / 60 % 60)
        writer.byte(UInt8(ascii: ":"))
        writer.twoDigits(second % 60)
        writer.append(cachedOffsetBytes)
    }
}
