import LogfoldDomain
import Testing

/// Every rejection class names its field, a reason and a remedy.
@Suite struct EntryParserRejectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var line: String
        var code: Rejection.Code
        var field: String?
        var reasonContains: String
        var testDescription: String { "\(code) \(field ?? "-"): \(line.prefix(40))" }
    }

    static let base = #""at":"2020-05-15T13:03:56-04:00","type":"login""#

    static let cases: [Case] = [
        Case(
            line: #"{"id":1,"at":"2020-05-15T13:03:56-04:00","type":"log"#, code: .malformedJSON, field: "type",
            reasonContains: "unterminated string"),
        Case(
            line: #"{"id":1,"at":"2020-05-15T13:03:56Z","type":"login"} trailing"#, code: .malformedJSON, field: nil,
            reasonContains: "after the entry"),
        Case(line: #"[1,2,3]"#, code: .notAnObject, field: nil, reasonContains: "an array"),
        Case(line: #""just a string""#, code: .notAnObject, field: nil, reasonContains: "a string"),
        Case(line: "{\(base)}", code: .missingField, field: "id", reasonContains: "missing"),
        Case(line: #"{"id":null,"# + base + "}", code: .missingField, field: "id", reasonContains: "missing"),
        Case(line: #"{"id":0,"# + base + "}", code: .invalidValue, field: "id", reasonContains: "positive"),
        Case(line: #"{"id":-5,"# + base + "}", code: .invalidValue, field: "id", reasonContains: "positive"),
        Case(line: #"{"id":1.5,"# + base + "}", code: .invalidValue, field: "id", reasonContains: "whole number"),
        Case(line: #"{"id":"12","# + base + "}", code: .wrongType, field: "id", reasonContains: "found a string"),
        Case(line: #"{"id":1,"type":"login"}"#, code: .missingField, field: "at", reasonContains: "missing"),
        Case(
            line: #"{"id":1,"at":"2020-05-15T13:03:56","type":"login"}"#, code: .invalidValue, field: "at",
            reasonContains: "offset"),
        Case(
            line: #"{"id":1,"at":"2020-02-30T13:03:56Z","type":"login"}"#, code: .invalidValue, field: "at",
            reasonContains: "does not exist"),
        Case(
            line: #"{"id":1,"at":1589562236,"type":"login"}"#, code: .wrongType, field: "at",
            reasonContains: "found a number"),
        Case(
            line: #"{"id":1,"at":"2020-05-15T13:03:56Z"}"#, code: .missingField, field: "type",
            reasonContains: "missing"),
        Case(
            line: #"{"id":1,"at":"2020-05-15T13:03:56Z","type":""}"#, code: .invalidValue, field: "type",
            reasonContains: "empty"),
        Case(
            line: #"{"id":1,"at":"2020-05-15T13:03:56Z","type":7}"#, code: .wrongType, field: "type",
            reasonContains: "found a number"),
        Case(
            line: #"{"id":1,"# + base + #","customer":"1141260"}"#, code: .wrongType, field: "customer",
            reasonContains: "an object"),
        Case(
            line: #"{"id":1,"# + base + #","customer":{"email":"a@b.c"}}"#, code: .missingField, field: "customer.id",
            reasonContains: "missing"),
        Case(
            line: #"{"id":1,"# + base + #","customer":{"id":1141260}}"#, code: .wrongType, field: "customer.id",
            reasonContains: "found a number"),
        Case(
            line: #"{"id":1,"# + base + #","customer":{"id":"1","subscribed":"yes"}}"#, code: .wrongType,
            field: "customer.subscribed", reasonContains: "a boolean"),
        Case(
            line: #"{"id":1,"# + base + #","customer":{"id":"1","status":"Zombie"}}"#, code: .invalidValue,
            field: "customer.status", reasonContains: "`Zombie` is not one of"),
        Case(
            line: #"{"id":1,"# + base + #","customer":{"id":"1","next_delivery":"next week"}}"#, code: .invalidValue,
            field: "customer.next_delivery", reasonContains: "not a date"),
        Case(
            line: #"{"id":1,"# + base + #","order":{"id":"5","items":{"sku":"A"}}}"#, code: .wrongType,
            field: "order.items", reasonContains: "an array"),
        Case(
            line: #"{"id":1,"# + base + #","order":{"id":"5","total":"47.95"}}"#, code: .wrongType,
            field: "order.total", reasonContains: "a decimal number"),
        Case(
            line: #"{"id":1,"# + base + #","order":{"id":"5","items":[{"sku":"A"},{"quantity":1.5}]}}"#,
            code: .invalidValue, field: "order.items[1].quantity", reasonContains: "whole number"),
        Case(
            line: #"{"id":1,"# + base + #","order":{"id":"5","total":1.0000000001}}"#, code: .invalidValue,
            field: "order.total", reasonContains: "out of range"),
        Case(
            line: #"{"id":1,"# + base + #","cart":{"id":"c","total":"47.95"}}"#, code: .wrongType, field: "cart.total",
            reasonContains: "a decimal number"),
        Case(
            line: #"{"id":1,"# + base + #","data":[1,2]}"#, code: .wrongType, field: "data", reasonContains: "an object"
        ),
        Case(line: #"{"id":1,"id":2,"# + base + "}", code: .duplicateMember, field: "id", reasonContains: "twice"),
        Case(line: #"{"id":1,"# + base + ",}", code: .malformedJSON, field: nil, reasonContains: "trailing comma"),
        Case(
            line: "{\"id\":1,\(base),\"data\":{\"m\":\"a\u{01}b\"}}", code: .malformedJSON, field: "data.m",
            reasonContains: "control character"),
        // Paths deep in `data`, built only for the rejection.
        Case(
            line: "{\"id\":1,\(base),\"data\":{\"a\":[{\"b\":1},{\"c\":[true,\"x\u{02}\"]}]}}", code: .malformedJSON,
            field: "data.a[1].c[1]", reasonContains: "control character"),
        Case(
            line: #"{"id":1,"# + base + #","data":{"a":[0,{"k":1,"k":2}]}}"#, code: .duplicateMember,
            field: "data.a[1].k", reasonContains: "twice"),
        Case(
            line: #"{"id":1,"# + base + #","data":{"a":{"b":[1,2,]}}}"#, code: .malformedJSON, field: "data.a.b",
            reasonContains: "trailing comma"),
        Case(
            line: #"{"id":1,"# + base + #","data":{"a":[1,2 3]}}"#, code: .malformedJSON, field: "data.a",
            reasonContains: "not valid JSON"),
        Case(
            line: #"{"id":1,"# + base + #","order":{"id":"5","items":[{"sku":"A"},]}}"#, code: .malformedJSON,
            field: "order.items", reasonContains: "trailing comma"),
        Case(
            line: #"{"id":1,"# + base + #","order":{"id":"5","items":[{"name":"no key"}]}}"#, code: .invalidValue,
            field: "order.items[0]", reasonContains: "neither `line_id` nor `sku`"),
        Case(
            line: #"{"id":1,"# + base + #","order":{"id":"5","currency":"usd"}}"#, code: .invalidValue,
            field: "order.currency", reasonContains: "ISO 4217"),
        Case(
            line: #"{"id":1,"# + base + #","customer":{"id":""}}"#, code: .invalidValue, field: "customer.id",
            reasonContains: "empty"),
        Case(
            line: #"{"id":9223372036854775808,"# + base + "}", code: .invalidValue, field: "id",
            reasonContains: "9223372036854775807"),
        Case(line: "", code: .notAnObject, field: nil, reasonContains: "empty"),
    ]

    @Test("each malformed line is rejected with its class, field and reason", arguments: cases)
    func rejected(_ c: Case) throws {
        let error = try #require(throws: Rejection.self) { try EntryParser().parse(Array(c.line.utf8)) }
        #expect(error.code == c.code)
        #expect(error.field == c.field)
        #expect(error.reason.contains(c.reasonContains), "reason was: \(error.reason)")
        #expect(!error.remedy.isEmpty)
    }

    @Test("a rejection's message names the file, line, entry, field, reason and remedy")
    func message() throws {
        var error = try #require(throws: Rejection.self) {
            try EntryParser().parse(
                Array(#"{"id":42,"at":"2020-05-15T13:03:56Z","type":"x","customer":{"id":"1","status":"Zombie"}}"#.utf8)
            )
        }
        error.source = "platform.jsonl"
        error.line = 17
        let text = error.description
        #expect(text.hasPrefix("platform.jsonl:17"))
        #expect(text.contains("entry 42"))
        #expect(text.contains("field `customer.status`"))
        #expect(text.contains("[invalid_value]"))
        #expect(text.contains("map the platform's value"))
    }

    @Test("a line longer than the limit is rejected before parsing")
    func tooLong() throws {
        let line = Array(
            ("{\"id\":1,\(Self.base),\"data\":{\"pad\":\"" + String(repeating: "x", count: 2_000) + "\"}}").utf8)
        let error = try #require(throws: Rejection.self) { try EntryParser(maximumLineLength: 1_000).parse(line) }
        #expect(error.code == .tooLong)
        #expect(throws: Never.self) { try EntryParser(maximumLineLength: 4_000).parse(line) }
    }

    @Test("unknown members and unknown types are accepted; null snapshots are absent")
    func lenientWhereTheContractIs() throws {
        let entry = try EntryParser().parse(
            Array(
                #"{"id":9,"at":"2020-05-15T13:03:56+02:00","type":"loyalty.points","future":{"a":[1,{"b":null}]},"customer":null,"order":null}"#
                    .utf8))
        #expect(entry.type == "loyalty.points")
        #expect(entry.customer == nil && entry.order == nil)
        #expect(entry.at.offsetMinutes == 120)
    }
}
