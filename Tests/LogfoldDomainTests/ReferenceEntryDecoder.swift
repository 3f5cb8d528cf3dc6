import Foundation
import LogfoldDomain

/// The slow, obviously-correct reading of contract v1: Foundation's `JSONDecoder` for the JSON, then
/// the contract's value rules.
///
/// The differential test holds ``EntryParser`` to its verdicts and values.
enum ReferenceEntryDecoder {
    struct Failure: Error { var reason: String }

    static func decode(_ line: [UInt8]) -> Result<LogEntry, Failure> {
        do {
            let raw = try JSONDecoder().decode(RawEntry.self, from: Data(line))
            return .success(try raw.validated())
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(reason: "\(error)"))
        }
    }

    struct RawEntry: Decodable {
        var id: UInt64?
        var at: String?
        var type: String?
        var customer: RawCustomer?
        var order: RawOrder?
        var cart: RawCart?
        var data: ReferenceJSON?

        func validated() throws -> LogEntry {
            guard let id, id > 0, id <= UInt64(Int64.max) else { throw Failure(reason: "id") }
            guard let at, let timestamp = RFC3339.parse(at) else { throw Failure(reason: "at") }
            guard let type, !type.isEmpty else { throw Failure(reason: "type") }
            if let data, case .object = data {} else if data != nil { throw Failure(reason: "data") }
            return LogEntry(
                id: id, at: timestamp, type: type, customer: try customer?.validated(), order: try order?.validated(),
                cart: try cart?.validated(), data: data?.value)
        }
    }

    struct RawAddress: Decodable {
        var line1, line2, city, region, zip, country: String?
    }

    struct RawCustomer: Decodable {
        var id, email, first_name, last_name, phone, box, signup_date, next_delivery, cancel_date: String?
        var address: RawAddress?
        var status: String?
        var schedule: String?
        var subscribed: Bool?
        /// Members present as `null` (contract v1.1: cleared).
        var cleared: CustomerSnapshot.Fields = []

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, email, first_name, last_name, phone, box, signup_date, next_delivery, cancel_date, address
            case status, schedule, subscribed
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            email = try c.decodeIfPresent(String.self, forKey: .email)
            first_name = try c.decodeIfPresent(String.self, forKey: .first_name)
            last_name = try c.decodeIfPresent(String.self, forKey: .last_name)
            phone = try c.decodeIfPresent(String.self, forKey: .phone)
            box = try c.decodeIfPresent(String.self, forKey: .box)
            signup_date = try c.decodeIfPresent(String.self, forKey: .signup_date)
            next_delivery = try c.decodeIfPresent(String.self, forKey: .next_delivery)
            cancel_date = try c.decodeIfPresent(String.self, forKey: .cancel_date)
            address = try c.decodeIfPresent(RawAddress.self, forKey: .address)
            status = try c.decodeIfPresent(String.self, forKey: .status)
            schedule = try c.decodeIfPresent(String.self, forKey: .schedule)
            subscribed = try c.decodeIfPresent(Bool.self, forKey: .subscribed)
            let bits: [(CodingKeys, CustomerSnapshot.Fields)] = [
                (.email, .email), (.first_name, .firstName), (.last_name, .lastName), (.phone, .phone),
                (.box, .box), (.signup_date, .signupDate), (.next_delivery, .nextDelivery),
                (.cancel_date, .cancelDate), (.address, .address), (.status, .status), (.schedule, .schedule),
                (.subscribed, .subscribed),
            ]
            for (key, bit) in bits where c.contains(key) {
                if try c.decodeNil(forKey: key) { cleared.insert(bit) }
            }
        }

        func validated() throws -> CustomerSnapshot {
            guard let id, !id.isEmpty else { throw Failure(reason: "customer.id") }
            return CustomerSnapshot(
                id: id, email: email, firstName: first_name, lastName: last_name, phone: phone,
                address: address.map {
                    PostalAddress(
                        line1: $0.line1, line2: $0.line2, city: $0.city, region: $0.region, zip: $0.zip,
                        country: $0.country)
                },
                status: try status.map { try vocabulary(CustomerStatus.self, $0) },
                schedule: try schedule.map { try vocabulary(DeliverySchedule.self, $0) }, box: box,
                signupDate: try date(signup_date, dateTime: true),
                nextDelivery: try date(next_delivery, dateTime: false),
                cancelDate: try date(cancel_date, dateTime: true), subscribed: subscribed, cleared: cleared)
        }
    }

    struct RawItem: Decodable {
        var line_id, product_id, sku, name, url, image_url, kind, brand: String?
        var quantity: Int64?
        var price, row_total: Decimal?
        var categories: [String]?

        func validated() throws -> LineItem {
            if let line_id, line_id.isEmpty { throw Failure(reason: "line_id") }
            return LineItem(
                lineID: line_id, productID: product_id, sku: sku, name: name, quantity: quantity,
                price: try money(price), rowTotal: try money(row_total), url: url, imageURL: image_url,
                categories: categories ?? [], kind: try kind.map { try vocabulary(ItemKind.self, $0) }, brand: brand)
        }
    }

    struct RawOrder: Decodable {
        var id, customer_id, status, created_at, delivery_date, currency, discount_code: String?
        var total, discount_value: Decimal?
        var items: [RawItem]?

        func validated() throws -> OrderSnapshot {
            guard let id, !id.isEmpty else { throw Failure(reason: "order.id") }
            if let currency, currency.utf8.count != 3 || !currency.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) {
                throw Failure(reason: "currency")
            }
            for item in items ?? [] where (item.line_id ?? "").isEmpty && (item.sku ?? "").isEmpty {
                throw Failure(reason: "order line key")
            }
            var createdAt: Timestamp?
            if let created_at {
                guard let parsed = RFC3339.parse(created_at) else { throw Failure(reason: "created_at") }
                createdAt = parsed
            }
            return OrderSnapshot(
                id: id, customerID: customer_id, status: try status.map { try vocabulary(OrderStatus.self, $0) },
                createdAt: createdAt, deliveryDate: try date(delivery_date, dateTime: false), total: try money(total),
                currency: currency, discountCode: discount_code, discountValue: try money(discount_value),
                items: try (items ?? []).map { try $0.validated() })
        }
    }

    struct RawCart: Decodable {
        var id, checkout_url: String?
        var total: Decimal?
        var items: [RawItem]?

        func validated() throws -> CartSnapshot {
            guard let id, !id.isEmpty else { throw Failure(reason: "cart.id") }
            return CartSnapshot(
                id: id, total: try money(total), checkoutURL: checkout_url,
                items: try (items ?? []).map { try $0.validated() })
        }
    }

    static func vocabulary<E: RawRepresentable>(_ type: E.Type, _ text: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: text) else { throw Failure(reason: "vocabulary") }
        return value
    }

    static func date(_ text: String?, dateTime: Bool) throws -> String? {
        guard let text else { return nil }
        if RFC3339.isCalendarDate(text) || (dateTime && RFC3339.parse(text) != nil) { return text }
        throw Failure(reason: "date")
    }

    /// Foundation's `Decimal` to the contract's money, with the contract's range rule.
    static func money(_ decimal: Decimal?) throws -> Money? {
        guard let decimal else { return nil }
        let text = "\(decimal)"
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        var all = String(parts[0]) + fraction
        while all.count > 1, all.hasPrefix("0") { all.removeFirst() }
        guard fraction.count <= Int(Money.maximumScale), all.count <= 18, let mantissa = Int64(all),
            let money = Money(mantissa: negative ? -mantissa : mantissa, scale: UInt8(fraction.count))
        else { throw Failure(reason: "money range") }
        return money
    }
}

/// Any JSON value through Foundation's decoder; objects lose their order, so comparisons sort keys.
indirect enum ReferenceJSON: Decodable, Equatable {
    case null, bool(Bool), number(Decimal), string(String), array([ReferenceJSON]), object([String: ReferenceJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else if let value = try? container.decode([ReferenceJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ReferenceJSON].self))
        }
    }

    /// Converts to the domain's JSON value with keys sorted (the reference cannot know the order).
    var value: JSONValue {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .number(let d): .number("\(d)")
        case .string(let s): .string(s)
        case .array(let a): .array(a.map(\.value))
        case .object(let o): .object(o.keys.sorted().map { JSONValue.Member($0, o[$0]?.value ?? .null) })
        }
    }
}

extension JSONValue {
    /// The value with object keys sorted and numbers normalised through `Decimal`, for comparing with
    /// ``ReferenceJSON``.
    var canonical: JSONValue {
        switch self {
        case .number(let literal): .number(Decimal(string: literal).map { "\($0)" } ?? literal)
        case .array(let a): .array(a.map(\.canonical))
        case .object(let members): .object(members.sorted { $0.key < $1.key }.map { .init($0.key, $0.value.canonical) })
        default: self
        }
    }
}
