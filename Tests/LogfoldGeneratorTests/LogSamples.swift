import Foundation
import LogfoldGenerator

/// Logs shared by the suites (generated once per test process) and helpers to read them.
enum LogSamples {
    /// 300 customers over 90 days: every contract type occurs, fast enough in debug builds.
    static let modestConfiguration = GeneratorConfiguration(seed: 1, customers: 300, days: 90)

    /// The lines of the modest log.
    static let modest: [String] = SyntheticLog.lines(modestConfiguration)

    /// The contract's types, spelled out here so a rename in the generator is caught.
    static let contractTypes: [String] = [
        "started.signup", "signup.completed", "cancelled", "status.changed", "email.unsubscribed",
        "email.subscribed", "contact.form", "failed.payment", "referral.credit", "shipping.email",
        "customer.updated", "order.created", "order.cancelled", "order.completed", "order.refunded",
        "order.chargeback", "order.shipped", "order.delivered", "login", "login.cookie", "login.magic_link",
        "login.magic_link_failed", "logout", "box.changed", "box_subscription.changed", "schedule.changed",
        "schedule.reset", "order.skipped", "order.skip_considered", "delivery.added", "delivery.skipped",
        "delivery_reminder.sent", "substitution.made", "substitution.undone", "addon.added", "item.deleted",
        "gift_certificate.used", "discount_code.used", "gift_box.purchased", "gift_account.activated",
        "promo_account.activated", "promo_signup.completed", "welcome_order.created", "payment_info.updated",
        "address.updated", "shipping_notes.updated", "birthday.added", "password.reset", "friends.shared",
        "recurring_product.added", "recurring_product.updated", "recurring_product.removed",
    ]

    /// The whole output of a run as bytes, with the chunk sizes the sink saw.
    static func bytes(_ configuration: GeneratorConfiguration) -> (
        bytes: [UInt8], chunks: [Int], summary: GeneratorSummary
    ) {
        var bytes: [UInt8] = []
        var chunks: [Int] = []
        let summary = SyntheticLog(configuration).write { chunk in
            bytes.append(contentsOf: chunk)
            chunks.append(chunk.count)
        }
        return (bytes, chunks, summary)
    }

    /// 64-bit FNV-1a of the output.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash = hash &* 0x100_0000_01B3
        }
        return hash
    }

    /// Whether JSON text has spaces, tabs or newlines between tokens (it is not compact).
    static func hasWhitespaceOutsideStrings(_ line: String) -> Bool {
        var inString = false
        var escaped = false
        for b in line.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") {
                return true
            }
        }
        return false
    }

    /// A line as a JSON object, or nil.
    static func object(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// Seconds since 1970 of an RFC 3339 timestamp with offset and seconds precision
    /// (`2024-01-09T13:03:56-05:00`), or nil when it has another shape.
    static func instant(_ text: String) -> Int? {
        let b = Array(text.utf8)
        guard b.count == 25, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            b[19] == UInt8(ascii: "+") || b[19] == UInt8(ascii: "-"),
            b[22] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                guard (48...57).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), let offsetHours = number(20..<22),
            let offsetMinutes = number(23..<25)
        else { return nil }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        let offset = (offsetHours * 3_600 + offsetMinutes * 60) * (b[19] == UInt8(ascii: "-") ? -1 : 1)
        return days * 86_400 + hour * 3_600 + minute * 60 + second - offset
    }
}
