/// The fold's time: the latest week of the entries folded so far, and how far the profile updates of
/// that week's change have gone.
///
/// The fold reads no clock; its time moves only with the journal (the entries' `at`, and
/// ``JournalTick`` entries the daemon journals for a quiet week). The store keeps it with the
/// checkpoint, so a warm start goes on exactly where the last batch stopped.
package struct JournalClock: Sendable, Hashable {
    /// The latest week seen (``WeekCalendar`` numbering); `nil` before the first entry.
    package var week: Int32?
    /// Whether customers still wait for the profile update of the last week change.
    package var sweeping = false
    /// The last customer id the update has reached (they go in id order); `nil` when it has not begun.
    package var sweptThrough: String?

    /// A clock that has seen nothing.
    package init(week: Int32? = nil, sweeping: Bool = false, sweptThrough: String? = nil) {
        self.week = week
        self.sweeping = sweeping
        self.sweptThrough = sweptThrough
    }
}

/// `logfold.tick`: a time entry logfold itself journals when a week starts and nothing was journaled in
/// it, so the week's order tags change on time in a quiet log and the same way in every replay.
///
/// Ticks have their own id space above the platform's (ids from 2^63, which the parser never accepts
/// from a source): `2^63 + the week's first second`, so each week has one tick whoever journals it.
package enum JournalTick {
    /// The entry type of a tick.
    package static let type = "logfold.tick"

    /// The first id of the tick id space.
    package static let idBase: UInt64 = 1 << 63

    /// Whether `entry` is a tick (a platform entry of the same type is an ordinary unknown type).
    package static func isTick(_ entry: LogEntry) -> Bool { entry.id >= idBase && entry.type == type }

    /// The tick of the week that starts at `start`.
    package static func entry(startingWeekAt start: Timestamp) -> LogEntry {
        LogEntry(id: idBase | UInt64(bitPattern: max(0, start.unixSeconds)), at: start, type: type)
    }

    /// The JSON line of `tick`, as the journal keeps it.
    package static func line(_ tick: LogEntry) -> [UInt8] {
        Array(#"{"id":\#(tick.id),"at":"\#(tick.at.rfc3339String)","type":"\#(type)"}"#.utf8)
    }

    /// The tick to journal at `now` (seconds since 1970) when the journal's week is `journalWeek`: the
    /// tick of the week `now` falls in, counted in `offsetMinutes` unless `calendar` sets one, when that
    /// week is later; `nil` otherwise.
    package static func due(now: Int64, journalWeek: Int32, offsetMinutes: Int16, calendar: WeekCalendar)
        -> LogEntry?
    {
        let offset = calendar.utcOffsetMinutes ?? offsetMinutes
        let week = calendar.week(of: Timestamp(unixSeconds: now, offsetMinutes: offset))
        guard week > journalWeek else { return nil }
        return entry(startingWeekAt: calendar.start(ofWeek: week, offsetMinutes: offset))
    }
}
