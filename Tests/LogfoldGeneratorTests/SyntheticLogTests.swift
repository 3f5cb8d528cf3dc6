import Foundation
import LogfoldGenerator
import Testing

@Suite("Synthetic platform log")
struct SyntheticLogTests {
    @Test("identical arguments give identical bytes")
    func deterministic() {
        let configuration = GeneratorConfiguration(seed: 42, customers: 150, days: 45)
        let first = LogSamples.bytes(configuration)
        let second = LogSamples.bytes(configuration)
        #expect(first.bytes.count > 100_000)
        #expect(LogSamples.fnv1a(first.bytes) == LogSamples.fnv1a(second.bytes))
        #expect(first.bytes == second.bytes)
    }

    @Test("a different seed gives a different log")
    func seedMatters() {
        let one = LogSamples.bytes(GeneratorConfiguration(seed: 1, customers: 100, days: 30))
        let two = LogSamples.bytes(GeneratorConfiguration(seed: 2, customers: 100, days: 30))
        #expect(LogSamples.fnv1a(one.bytes) != LogSamples.fnv1a(two.bytes))
    }

    @Test("every line is a JSON object with id, at and type; ids strictly increase and time never goes back")
    func envelope() throws {
        var lastID = 0
        var lastInstant = Int.min
        for line in LogSamples.modest {
            let object = try #require(LogSamples.object(line), "not a JSON object: \(line)")
            let id = try #require(object["id"] as? Int)
            let at = try #require(object["at"] as? String)
            let type = try #require(object["type"] as? String)
            let instant = try #require(LogSamples.instant(at), "bad timestamp \(at)")
            #expect(id > lastID)
            #expect(instant >= lastInstant, "\(at) goes back in time")
            #expect(!type.isEmpty)
            lastID = id
            lastInstant = instant
        }
    }

    @Test("keys come in the fixed order id, at, type, customer, order, cart, data, and lines are compact")
    func keyOrder() {
        let order = ["\"id\":", "\"at\":", "\"type\":", "\"customer\":", "\"order\":", "\"cart\":", "\"data\":"]
        for line in LogSamples.modest.prefix(3_000) {
            #expect(line.hasPrefix("{\"id\":"))
            #expect(!LogSamples.hasWhitespaceOutsideStrings(line), "not compact: \(line.prefix(200))")
            let positions = order.compactMap { key in
                line.range(of: key).map { line.distance(from: line.startIndex, to: $0.lowerBound) }
            }
            #expect(positions == positions.sorted(), "keys out of order: \(line.prefix(200))")
        }
    }

    @Test("every type of the contract appears in 300 customers over 90 days")
    func coverage() {
        let seen = Set(LogSamples.modest.compactMap { LogSamples.object($0)?["type"] as? String })
        for type in LogSamples.contractTypes {
            #expect(seen.contains(type), "\(type) never appears")
        }
        #expect(
            seen.isSubset(of: Set(LogSamples.contractTypes)),
            "unexpected types: \(seen.subtracting(LogSamples.contractTypes))")
    }

    @Test("the exported type list is the contract's list")
    func knownTypes() {
        #expect(SyntheticLog.knownTypes == LogSamples.contractTypes)
        #expect(Set(SyntheticLog.knownTypes).count == SyntheticLog.knownTypes.count)
        #expect(Set(SyntheticLog.unknownTypes).isDisjoint(with: SyntheticLog.knownTypes))
    }

    @Test("money fields have exactly two fraction digits in the raw text")
    func money() {
        let keys = ["\"total\":", "\"price\":", "\"row_total\":", "\"discount_value\":", "\"amount\":", "\"credit\":"]
        var checked = 0
        for line in LogSamples.modest {
            let bytes = Array(line.utf8)
            for key in keys {
                var searchStart = line.startIndex
                while let range = line.range(of: key, range: searchStart..<line.endIndex) {
                    var i = line.utf8.distance(from: line.startIndex, to: range.upperBound)
                    var text: [UInt8] = []
                    while i < bytes.count, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "}") {
                        text.append(bytes[i])
                        i += 1
                    }
                    let number = String(decoding: text, as: UTF8.self)
                    let parts = number.split(separator: ".", omittingEmptySubsequences: false)
                    #expect(
                        parts.count == 2 && parts[1].count == 2 && parts[0].allSatisfy(\.isNumber), "\(key)\(number)")
                    checked += 1
                    searchStart = range.upperBound
                }
            }
        }
        #expect(checked > 10_000)
    }

    @Test("an order's lines have unique line ids, one box, and the total is the lines less the discount")
    func orders() throws {
        var orders = 0
        var repeatedSKU = false
        for line in LogSamples.modest {
            guard let order = LogSamples.object(line)?["order"] as? [String: Any] else { continue }
            orders += 1
            let items = try #require(order["items"] as? [[String: Any]])
            let lineIDs = items.compactMap { $0["line_id"] as? String }
            #expect(lineIDs.count == items.count)
            #expect(Set(lineIDs).count == lineIDs.count, "duplicate line id in \(line.prefix(120))")
            #expect(items.filter { $0["kind"] as? String == "sub" }.count == 1)
            let skus = items.compactMap { $0["sku"] as? String }
            if Set(skus).count < skus.count { repeatedSKU = true }
            var cents = 0
            for item in items {
                let quantity = try #require(item["quantity"] as? Int)
                let price = try #require(item["price"] as? Double)
                let rowTotal = try #require(item["row_total"] as? Double)
                #expect(Int((price * 100).rounded()) * quantity == Int((rowTotal * 100).rounded()))
                #expect(["sub", "menu", "addon"].contains(item["kind"] as? String ?? ""))
                cents += Int((rowTotal * 100).rounded())
            }
            let discount = Int(((order["discount_value"] as? Double ?? 0) * 100).rounded())
            let total = try #require(order["total"] as? Double)
            #expect(max(0, cents - discount) == Int((total * 100).rounded()))
            #expect(order["currency"] as? String == "USD")
        }
        #expect(orders > 1_000)
        #expect(repeatedSKU, "no order ever carries the same SKU on two lines")
    }

    @Test("statuses and schedules come only from the contract's sets")
    func vocabularies() {
        let statuses: Set<String> = ["Prospect", "Active", "On Hold", "Stopped", "Dead"]
        let schedules: Set<String> = ["Weekly", "Biweekly", "Monthly"]
        let orderStatuses: Set<String> = ["Open", "Cancelled", "Completed", "Refunded"]
        var seenStatuses: Set<String> = []
        for line in LogSamples.modest {
            guard let object = LogSamples.object(line) else { continue }
            if let customer = object["customer"] as? [String: Any] {
                let status = customer["status"] as? String ?? "?"
                seenStatuses.insert(status)
                #expect(statuses.contains(status))
                if let schedule = customer["schedule"] as? String { #expect(schedules.contains(schedule)) }
                #expect(customer["schedule"] != nil, "schedule must be present (null when none)")
            }
            if let order = object["order"] as? [String: Any] {
                #expect(orderStatuses.contains(order["status"] as? String ?? "?"))
            }
        }
        #expect(seenStatuses == statuses)
    }

    @Test("customer snapshots follow the life cycle: active ones have a box, schedule, signup and next delivery")
    func snapshots() throws {
        for line in LogSamples.modest {
            guard let customer = LogSamples.object(line)?["customer"] as? [String: Any] else { continue }
            #expect(customer["id"] is String)
            let phone = try #require(customer["phone"] as? String)
            #expect(phone.hasPrefix("+1") && phone.count == 12)
            let address = try #require(customer["address"] as? [String: Any])
            #expect(address["country"] as? String == "US")
            switch customer["status"] as? String {
            case "Active":
                #expect(customer["box"] is String && customer["schedule"] is String)
                #expect(customer["signup_date"] is String && customer["next_delivery"] is String)
                #expect(customer["cancel_date"] == nil)
            case "Prospect":
                #expect(customer["box"] is NSNull && customer["schedule"] is NSNull && customer["signup_date"] == nil)
            case "Stopped":
                #expect(customer["cancel_date"] is String && customer["next_delivery"] == nil)
            default:
                #expect(customer["next_delivery"] == nil)
            }
        }
    }

    @Test("order events follow the order's life: created, then billed, shipped, delivered")
    func orderLifeCycle() throws {
        var history: [String: [String]] = [:]
        for line in LogSamples.modest {
            guard let object = LogSamples.object(line), let order = object["order"] as? [String: Any],
                let type = object["type"] as? String, let id = order["id"] as? String
            else { continue }
            let before = history[id, default: []]
            switch type {
            case "order.created":
                #expect(before.allSatisfy { $0 == "welcome_order.created" })
                #expect(order["status"] as? String == "Open")
            case "order.completed":
                #expect(before.contains("order.created"))
                #expect(order["status"] as? String == "Completed")
            case "order.shipped": #expect(before.contains("order.completed"))
            case "order.delivered": #expect(before.contains("order.shipped"))
            case "order.cancelled":
                #expect(!before.contains("order.completed"))
                #expect(order["status"] as? String == "Cancelled")
            case "order.refunded": #expect(before.contains("order.delivered"))
            default: break
            }
            history[id, default: []].append(type)
        }
        #expect(history.count > 500)
    }

    @Test("the mean line is 300-800 bytes and every line is newline-terminated")
    func sizes() {
        let (bytes, _, summary) = LogSamples.bytes(LogSamples.modestConfiguration)
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.filter { $0 == UInt8(ascii: "\n") }.count == summary.entries)
        #expect(summary.bytes == bytes.count)
        #expect((300...800).contains(summary.meanBytesPerEntry), "mean \(summary.meanBytesPerEntry)")
        #expect(summary.entries == LogSamples.modest.count)
    }

    @Test("the sink gets chunks of whole lines of about 64 KiB")
    func chunks() {
        var sizes: [Int] = []
        var wholeLines = true
        _ = SyntheticLog(GeneratorConfiguration(seed: 3, customers: 100, days: 30)).write { chunk in
            sizes.append(chunk.count)
            if chunk.last != UInt8(ascii: "\n") || chunk.first != UInt8(ascii: "{") { wholeLines = false }
        }
        #expect(wholeLines)
        #expect(sizes.count > 3)
        #expect(sizes.dropLast().allSatisfy { (65_536..<(65_536 + 32_768)).contains($0) })
    }

    @Test("the summary counts each type, sorted by type, adding up to the entries")
    func summary() {
        let (_, _, summary) = LogSamples.bytes(GeneratorConfiguration(seed: 5, customers: 80, days: 20))
        let names = summary.countsByType.map(\.0)
        #expect(names == names.sorted())
        #expect(summary.countsByType.reduce(0) { $0 + $1.1 } == summary.entries)
        #expect(summary.count(of: "started.signup") > 0)
        #expect(summary.count(of: "no.such.type") == 0)
    }

    @Test("unknown types appear only when asked for")
    func unknownTypes() {
        let plain = LogSamples.bytes(GeneratorConfiguration(seed: 7, customers: 200, days: 60))
        let spiced = LogSamples.bytes(
            GeneratorConfiguration(seed: 7, customers: 200, days: 60, includeUnknownTypes: true))
        for type in SyntheticLog.unknownTypes {
            #expect(plain.summary.count(of: type) == 0)
        }
        let unknown = SyntheticLog.unknownTypes.reduce(0) { $0 + spiced.summary.count(of: $1) }
        #expect(unknown > 0)
        #expect(unknown * 100 < spiced.summary.entries, "unknown types should be a sprinkle")
    }

    @Test("timestamps stay within the period and switch offset with daylight saving")
    func timeZone() throws {
        var configuration = GeneratorConfiguration(seed: 9, customers: 120, days: 20)
        configuration.start = CivilDate(year: 2024, month: 3, day: 1)
        let lines = SyntheticLog.lines(configuration)
        let start = CivilDate(year: 2024, month: 3, day: 1).daysSinceEpoch * 86_400 + 5 * 3_600
        let end = CivilDate(year: 2024, month: 3, day: 21).daysSinceEpoch * 86_400 + 4 * 3_600
        let change = CivilDate(year: 2024, month: 3, day: 10).daysSinceEpoch * 86_400 + 7 * 3_600
        var offsets: Set<String> = []
        for line in lines {
            let at = try #require(LogSamples.object(line)?["at"] as? String)
            let instant = try #require(LogSamples.instant(at))
            #expect(instant >= start && instant < end)
            #expect(at.hasSuffix(instant < change ? "-05:00" : "-04:00"), "\(at)")
            offsets.insert(String(at.suffix(6)))
        }
        #expect(offsets == ["-05:00", "-04:00"])
    }

    @Test("nothing is written for no customers or no days")
    func empty() {
        #expect(SyntheticLog.lines(GeneratorConfiguration(seed: 1, customers: 0, days: 30)).isEmpty)
        #expect(SyntheticLog.lines(GeneratorConfiguration(seed: 1, customers: 50, days: 0)).isEmpty)
    }
}
