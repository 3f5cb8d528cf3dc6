import LogfoldDomain
import Testing

/// Whatever the parser accepts, the compact decoder decodes and the fold folds: one set of limits,
/// enforced at the parser.
@Suite struct EntryLimitsTests {
    static let head = #"{"id":7,"at":"2020-05-15T13:03:56-04:00","type":"order.created","customer":{"id":"1"}"#

    static func order(items: Int, categories: Int = 1) -> String {
        let category = Array(repeating: #""c""#, count: categories).joined(separator: ",")
        let lines = (0..<items).map { #"{"line_id":"\#($0)","sku":"S","categories":[\#(category)]}"# }
        return head
            + #","order":{"id":"9","customer_id":"1","status":"Open","items":[\#(lines.joined(separator: ","))]}}"#
    }

    static func data(elements: Int) -> String {
        head + #","data":{"a":[\#(Array(repeating: "0", count: elements).joined(separator: ","))]}}"#
    }

    static let parser = EntryParser(maximumLineLength: 1 << 24)

    @Test("at each limit the entry is accepted, decodes from its compact form and folds")
    func atTheLimits() throws {
        for line in [
            Self.order(items: EntryLimits.items), Self.order(items: 2, categories: EntryLimits.categoriesPerItem),
            Self.data(elements: EntryLimits.dataMembers),
        ] {
            let entry = try Self.parser.parse(Array(line.utf8))
            let decoded = try CompactEntryCodec.decode(CompactEntryCodec.encode(entry))
            #expect(decoded == entry)
            var projection = Projection()
            let messages = projection.apply(decoded, seq: 1)
            #expect(messages.count <= 1 << 16)
            #expect(Set(messages.map(\.ordinal)).count == messages.count, "no two messages share an ordinal")
        }
    }

    @Test("one past each limit is rejected with the field, the limit and what to do")
    func pastTheLimits() {
        for (line, field, reason) in [
            (Self.order(items: EntryLimits.items + 1), "order.items", "more than 10000 items"),
            (
                Self.order(items: 1, categories: EntryLimits.categoriesPerItem + 1), "order.items[0].categories",
                "more than 1000 strings"
            ),
            (Self.data(elements: EntryLimits.dataMembers + 1), "data.a", "more than 100000 elements"),
        ] {
            do {
                _ = try Self.parser.parse(Array(line.utf8))
                Issue.record("accepted: \(field)")
            } catch {
                #expect(error.code == .invalidValue && error.field == field, "\(error)")
                #expect(error.reason.contains(reason), "\(error.reason)")
            }
        }
    }
}
