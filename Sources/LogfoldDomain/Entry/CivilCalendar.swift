/// Proleptic Gregorian calendar arithmetic on plain integers (Howard Hinnant's algorithms).
///
/// The domain may not read a clock or a time zone database, and Foundation's formatters accept
/// impossible dates (`2020-02-30`), so the little calendar logic the contract needs lives here.
package enum CivilCalendar {
    /// A date and time of day without an offset.
    package struct Civil: Sendable, Hashable {
        package var year: Int
        package var month: Int
        package var day: Int
        package var hour: Int
        package var minute: Int
        package var second: Int

        /// A date and time of day from its fields, taken as given.
        package init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
            self.year = year
            self.month = month
            self.day = day
            self.hour = hour
            self.minute = minute
            self.second = second
        }

        /// `YYYY-MM-DDTHH:MM:SS[.fffffffff]±HH:MM` (or `Z` for offset 0).
        ///
        /// Written as ASCII bytes into one string: the fold formats an entry's time for every message it
        /// makes, and building it from padded pieces allocated a dozen strings each time. Values outside
        /// their fixed widths (a year past 9999, say) keep the general form.
        package func formatted(offsetMinutes: Int16, nanoseconds: Int32) -> String {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(35)
            guard write(offsetMinutes: offsetMinutes, nanoseconds: nanoseconds, into: &bytes) else {
                return generalForm(offsetMinutes: offsetMinutes, nanoseconds: nanoseconds)
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Appends ``formatted(offsetMinutes:nanoseconds:)``'s bytes to `bytes`, without a string between:
        /// the sender writes every event's time into its request this way.
        package func append(offsetMinutes: Int16, nanoseconds: Int32, to bytes: inout [UInt8]) {
            if !write(offsetMinutes: offsetMinutes, nanoseconds: nanoseconds, into: &bytes) {
                bytes.append(contentsOf: generalForm(offsetMinutes: offsetMinutes, nanoseconds: nanoseconds).utf8)
            }
        }

        /// The fixed-width form appended to `bytes`; `false`, with nothing appended, for values outside it.
        private func write(offsetMinutes: Int16, nanoseconds: Int32, into bytes: inout [UInt8]) -> Bool {
            let twoDigits = 0...99
            guard (0...9_999).contains(year), twoDigits.contains(month), twoDigits.contains(day),
                twoDigits.contains(hour), twoDigits.contains(minute), twoDigits.contains(second),
                (0...999_999_999).contains(nanoseconds), offsetMinutes.magnitude / 60 < 100
            else {
                return false
            }
            // At most 35 bytes, written on the stack and appended once: a checked append per digit (and a
            // division per digit by a running divisor) was most of formatting a time, once per message.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { buffer in
                var count = 0
                func put(_ byte: UInt8) {
                    buffer[count] = byte
                    count += 1
                }
                func put(_ value: Int, width: Int) {
                    var rest = value
                    var position = count + width - 1
                    while position >= count {
                        buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                        rest /= 10
                        position -= 1
                    }
                    count += width
                }
                put(year, width: 4)
                put(UInt8(ascii: "-"))
                put(month, width: 2)
                put(UInt8(ascii: "-"))
                put(day, width: 2)
                put(UInt8(ascii: "T"))
                put(hour, width: 2)
                put(UInt8(ascii: ":"))
                put(minute, width: 2)
                put(UInt8(ascii: ":"))
                put(second, width: 2)
                if nanoseconds > 0 {
                    put(UInt8(ascii: "."))
                    var fraction = Int(nanoseconds)
                    var width = 9
                    while fraction % 10 == 0 {
                        fraction /= 10
                        width -= 1
                    }
                    put(fraction, width: width)
                }
                if offsetMinutes == 0 {
                    put(UInt8(ascii: "Z"))
                } else {
                    let magnitude = Int(offsetMinutes.magnitude)
                    put(offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                    put(magnitude / 60, width: 2)
                    put(UInt8(ascii: ":"))
                    put(magnitude % 60, width: 2)
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
            }
            return true
        }

        /// ``formatted(offsetMinutes:nanoseconds:)`` from padded pieces, for any field values: the form the
        /// fast path replaced, and the reference its tests compare it with.
        package func generalForm(offsetMinutes: Int16, nanoseconds: Int32) -> String {
            var out = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
            out += "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
            if nanoseconds > 0 {
                var fraction = pad(Int(nanoseconds), 9)
                while fraction.hasSuffix("0") { fraction.removeLast() }
                out += "." + fraction
            }
            if offsetMinutes == 0 { return out + "Z" }
            let magnitude = Int(offsetMinutes.magnitude)
            return out + (offsetMinutes < 0 ? "-" : "+") + pad(magnitude / 60, 2) + ":" + pad(magnitude % 60, 2)
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date and time of a unix second.
    package static func civil(fromUnixSeconds seconds: Int64) -> Civil {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        return Civil(
            year: year, month: month, day: day,
            hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60
        )
    }

    /// Whether `year-month-day` exists in the Gregorian calendar.
    package static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return day <= daysInMonth(year: year, month: month)
    }

    /// Days in a month, leap years included.
    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
