/// Strict RFC 3339 parsing on UTF-8 bytes.
///
/// Foundation's `ISO8601DateFormatter` accepts `2020-02-30` and `24:00:00`; the contract does not,
/// and the time must come from the entry alone, so this parser does its own calendar checks.
package enum RFC3339 {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
    ///
    /// Only upper-case `T` and `Z`, as the schema's pattern says (the contract can widen later, never
    /// narrow). Leap seconds (`:60`) are refused: unix time cannot hold them.
    package static func parse(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses the date-time in `b`; see ``parse(_:)-(String)``.
    package static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard b.count >= 20 else { return nil }
        guard let year = digits(b, 0, 4), b[4] == 0x2D, let month = digits(b, 5, 2), b[7] == 0x2D,
            let day = digits(b, 8, 2), b[10] == UInt8(ascii: "T"),
            let hour = digits(b, 11, 2), b[13] == 0x3A, let minute = digits(b, 14, 2), b[16] == 0x3A,
            let second = digits(b, 17, 2)
        else { return nil }
        guard year >= 1, CivilCalendar.isValidDate(year: year, month: month, day: day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var nanoseconds: Int32 = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var count = 0
            while i < b.count, b[i] &- 0x30 < 10 {
                if count < 9 { nanoseconds = nanoseconds * 10 + Int32(b[i] - 0x30) }
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 9) { nanoseconds *= 10 }
        }
        guard i < b.count else { return nil }
        var offsetMinutes = 0
        if b[i] == UInt8(ascii: "Z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard i + 6 == b.count, let oh = digits(b, i + 1, 2), b[i + 3] == 0x3A, let om = digits(b, i + 4, 2),
                oh < 24, om < 60
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilCalendar.daysFromCivil(year: year, month: month, day: day)
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Timestamp(
            unixSeconds: local - Int64(offsetMinutes) * 60, nanoseconds: nanoseconds,
            offsetMinutes: Int16(offsetMinutes))
    }

    /// Whether the text is exactly a valid `YYYY-MM-DD`.
    package static func isCalendarDate(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isCalendarDate(bytes: $0) }
    }

    /// Whether the bytes are exactly a valid `YYYY-MM-DD`.
    package static func isCalendarDate(bytes b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count == 10, let year = digits(b, 0, 4), b[4] == 0x2D, let month = digits(b, 5, 2), b[7] == 0x2D,
            let day = digits(b, 8, 2)
        else { return false }
        return year >= 1 && CivilCalendar.isValidDate(year: year, month: month, day: day)
    }

    @inline(__always)
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var value = 0
        for i in start..<start + count {
            let d = b[i] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }
}
