import LogfoldDomain
import Testing

/// The store's week: which day starts it, in which offset its days are counted, and the ticks of quiet
/// weeks.
@Suite struct WeekCalendarTests {
    /// 2020-11-02 was a Monday.
    static let monday = Timestamp(unixSeconds: 1_604_275_200)

    static func at(_ days: Int64, hours: Int64 = 0, offsetMinutes: Int16 = 0) -> Timestamp {
        Timestamp(
            unixSeconds: monday.unixSeconds + days * 86_400 + hours * 3_600 - Int64(offsetMinutes) * 60,
            offsetMinutes: offsetMinutes)
    }

    @Test("weeks start on Monday by default, on the configured day otherwise")
    func firstWeekday() {
        let iso = WeekCalendar.default
        #expect(iso.week(of: Self.at(0)) == iso.week(of: Self.at(6, hours: 23)))
        #expect(iso.week(of: Self.at(7)) == iso.week(of: Self.at(0)) + 1)
        let sunday = WeekCalendar(firstWeekday: .sunday)
        #expect(sunday.week(of: Self.at(5)) != sunday.week(of: Self.at(6)), "Saturday and Sunday")
        #expect(sunday.week(of: Self.at(6)) == sunday.week(of: Self.at(7)), "Sunday and Monday")
        #expect(iso.week(ofDate: "2020-11-08") == iso.week(of: Self.at(6)))
        #expect(sunday.week(ofDate: "2020-11-08") == sunday.week(of: Self.at(7)))
        #expect(iso.week(ofDate: "2020-11-8") == nil)
    }

    @Test("without an offset each instant counts in its writer's offset; a configured offset overrides it")
    func offsets() {
        // Sunday 22:00 at -05:00 is Monday 03:00 UTC and Monday 13:00 at +10:00.
        let late = Self.at(6, hours: 22, offsetMinutes: -300)
        #expect(WeekCalendar.default.week(of: late) == WeekCalendar.default.week(of: Self.at(0)))
        let sydney = WeekCalendar(utcOffsetMinutes: 600)
        #expect(sydney.week(of: late) == WeekCalendar.default.week(of: Self.at(0)) + 1)
    }

    @Test(
        "a week starts at 00:00 of its first day and holds every instant until the next one starts",
        arguments: WeekCalendar.Weekday.allCases)
    func weekBounds(first: WeekCalendar.Weekday) {
        var random = SplitMix64(seed: UInt64(first.rawValue))
        for _ in 0..<2_000 {
            let offset = Int16(Int(random.next() % 1_681) - 840)
            let calendar = WeekCalendar(firstWeekday: first, utcOffsetMinutes: random.next() % 2 == 0 ? nil : offset)
            let instant = Timestamp(
                unixSeconds: Int64(random.next() % 4_000_000_000) - 500_000_000, offsetMinutes: offset)
            let week = calendar.week(of: instant)
            let start = calendar.start(ofWeek: week, offsetMinutes: offset)
            let next = calendar.start(ofWeek: week + 1, offsetMinutes: offset)
            #expect(start.unixSeconds <= instant.unixSeconds && instant.unixSeconds < next.unixSeconds)
            #expect(next.unixSeconds - start.unixSeconds == 7 * 86_400)
            #expect(calendar.week(of: start) == week && calendar.week(of: next) == week + 1)
            // The first second falls on the configured weekday (1970-01-01, day 0, was a Thursday).
            let localDay = (start.unixSeconds + Int64(start.offsetMinutes) * 60) / 86_400
            #expect((localDay + 3) % 7 + 1 == Int64(first.rawValue) || localDay < 0)
        }
    }

    @Test("a tick is due when the clock's week is later than the journal's; its id is the week's own")
    func tickDue() throws {
        let calendar = WeekCalendar.default
        let week = calendar.week(of: Self.at(0, offsetMinutes: -300))
        let sameWeek = Self.at(6, hours: 20, offsetMinutes: -300).unixSeconds
        #expect(JournalTick.due(now: sameWeek, journalWeek: week, offsetMinutes: -300, calendar: calendar) == nil)
        let later = Self.at(9, offsetMinutes: -300).unixSeconds
        let tick = try #require(
            JournalTick.due(now: later, journalWeek: week, offsetMinutes: -300, calendar: calendar))
        #expect(tick.type == "logfold.tick" && JournalTick.isTick(tick))
        #expect(tick.at == Self.at(7, offsetMinutes: -300))
        #expect(tick.id == JournalTick.idBase | UInt64(tick.at.unixSeconds))
        #expect(JournalTick.due(now: later + 3_600, journalWeek: week, offsetMinutes: -300, calendar: calendar) == tick)
        let line = String(decoding: JournalTick.line(tick), as: UTF8.self)
        #expect(line == #"{"id":\#(tick.id),"at":"2020-11-09T00:00:00-05:00","type":"logfold.tick"}"#)
        // The parser never takes an id of the tick space from a source.
        #expect(throws: Rejection.self) { try EntryParser().parse(JournalTick.line(tick)) }
        // A platform entry of the same type is an ordinary entry.
        let platform = try EntryParser().parse(
            Array(#"{"id":5,"at":"2020-11-09T00:00:00Z","type":"logfold.tick"}"#.utf8))
        #expect(!JournalTick.isTick(platform))
    }

    @Test("the mapping file sets the week's first day and offset, and refuses what it cannot read")
    func mappingFile() throws {
        let mapping = try EventMapping.parse(Array(#"{"week": {"starts": "Sunday", "utc_offset": "+10:00"}}"#.utf8))
        #expect(mapping.calendar == WeekCalendar(firstWeekday: .sunday, utcOffsetMinutes: 600))
        #expect(
            try EventMapping.parse(Array(#"{"week": {"utc_offset": "-05:30"}}"#.utf8)).calendar.utcOffsetMinutes == -330
        )
        #expect(try EventMapping.parse(Array(#"{"week": {"utc_offset": "Z"}}"#.utf8)).calendar.utcOffsetMinutes == 0)
        for (text, says) in [
            (#"{"week": {"starts": "funday"}}"#, "must name a weekday"),
            (#"{"week": {"utc_offset": "+25:00"}}"#, "must be `Z` or `±HH:MM`"),
            (#"{"week": {"utc_offset": "10"}}"#, "must be `Z` or `±HH:MM`"),
            (#"{"week": {"zone": "Europe/Paris"}}"#, "`week.zone` is not understood"),
            (#"{"week": "monday"}"#, "`week` must be an object"),
        ] {
            #expect(throws: MappingError.self, "\(text)") { try EventMapping.parse(Array(text.utf8)) }
            do {
                _ = try EventMapping.parse(Array(text.utf8))
            } catch {
                #expect(error.reason.contains(says), "\(text): \(error.reason)")
            }
        }
    }
}
