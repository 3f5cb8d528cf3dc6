/// An RFC 3339 instant with the offset it was written in.
///
/// Kept as integers so that parsing, comparing and re-encoding never touch a calendar library or a
/// clock: projection must depend only on the journal.
package struct Timestamp: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    package var unixSeconds: Int64
    /// Fraction of the second, `0..<1_000_000_000`.
    package var nanoseconds: Int32
    /// The writer's UTC offset in minutes (`-240` for `-04:00`); it does not change the instant.
    package var offsetMinutes: Int16

    /// Creates a timestamp from its parts.
    package init(unixSeconds: Int64, nanoseconds: Int32 = 0, offsetMinutes: Int16 = 0) {
        self.unixSeconds = unixSeconds
        self.nanoseconds = nanoseconds
        self.offsetMinutes = offsetMinutes
    }

    /// Orders by instant; the offset only breaks ties so the order is total and agrees with `==`.
    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.unixSeconds, lhs.nanoseconds, lhs.offsetMinutes) < (rhs.unixSeconds, rhs.nanoseconds, rhs.offsetMinutes)
    }

    /// The instant in UTC, to the second, as Klaviyo wants it: `2020-05-15T17:03:56Z`.
    package var utcSecondsString: String {
        let civil = CivilCalendar.civil(fromUnixSeconds: unixSeconds)
        return civil.formatted(offsetMinutes: 0, nanoseconds: 0)
    }

    /// Appends ``utcSecondsString`` as a JSON string (it never needs escaping), with no string between.
    package func appendQuotedUTCSeconds(to out: inout [UInt8]) {
        out.append(0x22)
        CivilCalendar.civil(fromUnixSeconds: unixSeconds).append(offsetMinutes: 0, nanoseconds: 0, to: &out)
        out.append(0x22)
    }

    /// The timestamp in its original offset, with the fraction when there is one.
    package var rfc3339String: String {
        let civil = CivilCalendar.civil(fromUnixSeconds: unixSeconds + Int64(offsetMinutes) * 60)
        return civil.formatted(offsetMinutes: offsetMinutes, nanoseconds: nanoseconds)
    }

    /// Appends ``rfc3339String`` as a JSON string (it never needs escaping), with no string between.
    package func appendQuotedRFC3339(to out: inout [UInt8]) {
        out.append(0x22)
        CivilCalendar.civil(fromUnixSeconds: unixSeconds + Int64(offsetMinutes) * 60)
            .append(offsetMinutes: offsetMinutes, nanoseconds: nanoseconds, to: &out)
        out.append(0x22)
    }
}
