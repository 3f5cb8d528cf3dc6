/// The one date format logfold sends Klaviyo in date properties (`SignUpDate`, `CancelDate`,
/// `NextDelivery`, `Cancellation Date`): ISO 8601 in UTC to the second, `2020-05-15T17:03:56Z`.
///
/// Klaviyo reads that form as a date, so segments such as "SignUpDate is in the last 30 days" work
/// whatever the platform wrote. A calendar date (`2020-05-20`) is sent at noon UTC, the time Klaviyo
/// recommends for a date without one: the day stays the same in every account time zone.
package enum KlaviyoDate {
    /// `text` (a calendar date or an RFC 3339 date-time) in the format Klaviyo reads as a date; text
    /// that is neither (the parser lets none through) is returned unchanged.
    package static func format(_ text: String) -> String {
        if RFC3339.isCalendarDate(text) { return text + "T12:00:00Z" }
        if let instant = RFC3339.parse(text) { return instant.utcSecondsString }
        return text
    }
}
