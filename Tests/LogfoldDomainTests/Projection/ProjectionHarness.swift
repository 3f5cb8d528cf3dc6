import LogfoldDomain
import Testing

/// Folds entries written as contract-v1 JSON and keeps every message, for rule tests.
struct ProjectionHarness {
    var projection = Projection()
    var seq: UInt64 = 0
    var all: [OutboundMessage] = []

    init(mapping: EventMapping = .defaults) {
        projection = Projection(mapping: mapping)
    }

    /// Folds one entry and returns its messages.
    @discardableResult
    mutating func fold(_ json: String) throws -> [OutboundMessage] {
        seq += 1
        let entry = try EntryParser().parse(Array(json.utf8))
        let messages = projection.apply(entry, seq: seq)
        all += messages
        return messages
    }

    /// Event messages of `metric`.
    func events(_ metric: String) -> [OutboundMessage] { all.filter { $0.kind == .event && $0.metric == metric } }
}

extension [OutboundMessage] {
    func events(_ metric: String) -> [OutboundMessage] { filter { $0.kind == .event && $0.metric == metric } }
    func of(_ kind: OutboundMessage.Kind) -> [OutboundMessage] { filter { $0.kind == kind } }
}

extension JSONValue {
    /// A property by name, for assertions.
    func member(_ key: String) -> JSONValue? { self[key] }
}

/// Entry lines for the rule tests (times in 2020 at -04:00; ids increasing).
enum Lines {
    static let prospect =
        #""customer":{"id":"1141260","email":"ktest@example.com","first_name":"test","last_name":"mcgee","status":"Prospect","subscribed":true}"#
    static let active =
        #""customer":{"id":"1141260","email":"ktest@example.com","status":"Active","schedule":"Weekly","box":"Only Organic Small Box","signup_date":"2020-05-15T13:11:42-04:00","next_delivery":"2020-05-21","subscribed":true}"#
    static let dead = #""customer":{"id":"1141260","email":"ktest@example.com","status":"Dead","subscribed":true}"#
    static let cart =
        #""cart":{"id":"1141260","total":47.95,"checkout_url":"https://shop.example/sign-up","items":[{"product_id":"705","sku":"ONLYORGANICSMALLBOX","name":"Only Organic Small Box Fruits & Veggies","quantity":1,"price":47.95,"row_total":47.95,"categories":["Boxes"],"kind":"sub"}]}"#

    static func order(_ id: String = "5001", status: String = "Open", items: String? = nil) -> String {
        let lines =
            items
            ?? #"[{"line_id":"9001","sku":"BOX","name":"Box","quantity":1,"price":47.95,"row_total":47.95,"categories":["Boxes"],"kind":"sub"},{"line_id":"9002","sku":"AVO","name":"Avocado","quantity":2,"price":2.25,"row_total":4.50,"categories":["Fruit"],"kind":"addon"}]"#
        return
            #""order":{"id":"\#(id)","customer_id":"1141260","status":"\#(status)","created_at":"2020-05-18T09:00:00-04:00","delivery_date":"2020-05-21","total":52.45,"currency":"USD","items":\#(lines)}"#
    }

    static func entry(_ id: Int, _ at: String, _ type: String, _ parts: String...) -> String {
        (["{\"id\":\(id),\"at\":\"\(at)\",\"type\":\"\(type)\""] + parts).joined(separator: ",") + "}"
    }
}
