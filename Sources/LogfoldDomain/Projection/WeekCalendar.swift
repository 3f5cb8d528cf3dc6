/// The store's week, for seed 002's order tag: which weekday starts it and in which UTC offset its days
/// are counted.
///
/// Weeks are numbered from the week of 1970-01-01, so numbers compare and subtract. Without a configured
/// offset an instant's week is counted in the offset its writer used (the entry's `at`), which is the
/// store's own unless the platform writes UTC.
package struct WeekCalendar: Sendable, Hashable {
    /// A day of the week, numbered as ISO 8601 does (Monday 1 … Sunday 7).
    package enum Weekday: Int, Sendable, Hashable, CaseIterable {
        case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

        /// Its English name in lowercase, as the mapping file spells it.
        package var name: String { "\(self)" }
    }

    /// The day weeks start on.
    package var firstWeekday: Weekday
    /// The UTC offset, in minutes, days are counted in; `nil` counts each instant in its own offset.
    package var utcOffsetMinutes: Int16?

    /// ISO weeks (Monday first), in each entry's own offset.
    package static let `default` = WeekCalendar()

    /// Creates a calendar.
    package init(firstWeekday: Weekday = .monday, utcOffsetMinutes: Int16? = nil) {
        self.firstWeekday = firstWeekday
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// The week `timestamp` falls in.
    package func week(of timestamp: Timestamp) -> Int32 {
        let offset = Int64(utcOffsetMinutes ?? timestamp.offsetMinutes) * 60
        return week(ofDay: Self.floorDiv(timestamp.unixSeconds + offset, 86_400))
    }

    /// The week of a `YYYY-MM-DD` calendar date, or `nil` when it is not one.
    package func week(ofDate date: String) -> Int32? {
        var text = date
        return text.withUTF8 { b -> Int32? in
            guard RFC3339.isCalendarDate(bytes: b) else { return nil }
            func number(_ start: Int, _ count: Int) -> Int {
                (start..<start + count).reduce(0) { $0 * 10 + Int(b[$1] - 0x30) }
            }
            return week(ofDay: CivilCalendar.daysFromCivil(year: number(0, 4), month: number(5, 2), day: number(8, 2)))
        }
    }

    /// The instant week `week` starts, written in `offsetMinutes` (the configured offset when there is one).
    package func start(ofWeek week: Int32, offsetMinutes: Int16) -> Timestamp {
        let offset = utcOffsetMinutes ?? offsetMinutes
        let day = Int64(week) * 7 - shift
        return Timestamp(unixSeconds: day * 86_400 - Int64(offset) * 60, offsetMinutes: offset)
    }

    /// Days from the last `firstWeekday` on or before 1970-01-01 (a Thursday) to that date.
    private var shift: Int64 { Int64((Weekday.thursday.rawValue - firstWeekday.rawValue + 7) % 7) }

    private func week(ofDay day: Int64) -> Int32 {
        Int32(truncatingIfNeeded: Self.floorDiv(day + shift, 7))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }
}
