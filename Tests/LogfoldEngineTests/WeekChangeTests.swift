import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldStore
import LogfoldTestSupport
import Testing

/// The week's order tag changes when the journal's week does, for every customer it changes for, once
/// per change, and a replay (in any batches, with warm starts in the middle of a change) sends the same.
@Suite struct WeekChangeTests {
    /// A seeded history of `customers` over twelve weeks from Monday 2021-01-04 (-05:00): orders delivered
    /// the same week or the next, completed or cancelled later, logins, a few entries journaled late, and
    /// a `logfold.tick` at the start of each week.
    static func history(seed: UInt64, customers: Int = 40) throws -> [LogEntry] {
        var random = SplitMix(seed: seed)
        let start: Int64 = 1_609_736_400  // 2021-01-04T00:00:00-05:00
        func at(_ seconds: Int64) -> String {
            Timestamp(unixSeconds: seconds, offsetMinutes: -300).rfc3339String
        }
        func date(_ seconds: Int64) -> String { String(at(seconds).prefix(10)) }
        var timed: [(time: Int64, line: String?, tick: LogEntry?)] = []
        var orderNumber = 7_000
        for week in 0..<12 {
            let weekStart = start + Int64(week) * 7 * 86_400
            if week > 0 {
                timed.append(
                    (
                        weekStart, nil,
                        JournalTick.entry(startingWeekAt: Timestamp(unixSeconds: weekStart, offsetMinutes: -300))
                    ))
            }
            for c in 0..<customers {
                let customer = #""customer":{"id":"c\#(c)","email":"c\#(c)@example.com","status":"Active"}"#
                if random.next() % 4 == 0 {
                    let time = weekStart + Int64(random.next() % (7 * 86_400))
                    timed.append((time, #""type":"login",\#(customer)"#, nil))
                }
                guard random.next() % 10 < 6 else { continue }
                orderNumber += 1
                let created = weekStart + Int64(random.next() % (3 * 86_400)) + 3_600
                let delivery = weekStart + (random.next() % 10 < 3 ? 7 : 3) * 86_400 + Int64(random.next() % 4) * 86_400
                func order(_ status: String) -> String {
                    #""order":{"id":"\#(orderNumber)","customer_id":"c\#(c)","status":"\#(status)","created_at":"\#(at(created))","delivery_date":"\#(date(delivery))","total":30,"items":[]}"#
                }
                timed.append((created, #""type":"order.created",\#(customer),\#(order("Open"))"#, nil))
                let outcome = random.next() % 10
                let later = created + Int64(random.next() % (4 * 86_400)) + 60
                if outcome < 7 {
                    timed.append((later, #""type":"order.completed",\#(customer),\#(order("Completed"))"#, nil))
                } else if outcome == 7 {
                    timed.append((later, #""type":"order.cancelled",\#(customer),\#(order("Cancelled"))"#, nil))
                }
            }
        }
        timed.sort { ($0.time, $0.line ?? "") < ($1.time, $1.line ?? "") }
        // A few entries reach the journal a little late, after entries of a later time.
        for i in timed.indices.dropLast() where random.next() % 25 == 0 && timed[i].tick == nil {
            timed.swapAt(i, i + 1)
        }
        var entries: [LogEntry] = []
        for (offset, item) in timed.enumerated() {
            if let tick = item.tick {
                entries.append(tick)
            } else if let line = item.line {
                let json = #"{"id":\#(90_000_000 + offset),"at":"\#(at(item.time))",\#(line)}"#
                entries.append(try EntryParser().parse(Array(json.utf8)))
            }
        }
        return entries
    }

    /// Seed 002's tag of `customer` in `week` from the latest snapshot of each order.
    struct Reference {
        var orders: [String: (customer: String, week: Int32, status: OrderStatus?)] = [:]

        mutating func note(_ entry: LogEntry) {
            guard let order = entry.order, let customer = order.customerID else { return }
            let week =
                order.deliveryDate.flatMap(WeekCalendar.default.week(ofDate:))
                ?? WeekCalendar.default.week(of: order.createdAt ?? entry.at)
            orders[order.id] = (customer, week, order.status)
        }

        func tag(_ customer: String, week: Int32) -> String {
            let mine = orders.values.filter { $0.customer == customer && $0.week == week }
            if mine.contains(where: { $0.status == .open || $0.status == nil }) { return "open order" }
            return mine.contains { $0.status == .completed } ? "closed order" : "no order"
        }
    }

    @Test(
        "across 11 week boundaries the last tag sent is always the journal week's, each change sent once",
        arguments: [1, 2, 3] as [UInt64])
    func tagFollowsTheWeek(seed: UInt64) throws {
        var projection = Projection()
        var reference = Reference()
        var sent: [String: String] = [:]
        var weekChangeUpdates = 0
        for (offset, entry) in try Self.history(seed: seed).enumerated() {
            reference.note(entry)
            let messages = projection.apply(entry, seq: UInt64(offset + 1))
            let week = try #require(projection.clock.week)
            #expect(week >= WeekCalendar.default.week(of: entry.at), "the journal's week never goes back")
            for message in messages where message.kind == .profile {
                guard case .string(let tag) = message.properties["Order This Week"] else { continue }
                if message.customerID != entry.customer?.id {
                    weekChangeUpdates += 1
                    #expect(sent[message.customerID] != tag, "a week change re-sent \(message.customerID)'s tag \(tag)")
                }
                sent[message.customerID] = tag
            }
            for (id, customer) in projection.customers {
                let expected = reference.tag(id, week: week)
                #expect(customer.lastProfile?.weekTag == expected, "\(id) after seq \(offset + 1)")
                #expect(sent[id] == expected, "\(id) in Klaviyo after seq \(offset + 1)")
            }
        }
        #expect(weekChangeUpdates > 40, "the week changes updated customers without an entry")
        #expect(projection.clock.sweeping == false)
    }

    @Test(
        "a replay in batches of 1 and 7, from the store each time, mid-change included, equals one pass",
        arguments: [1, 7] as [Int])
    func warmStartsMatch(batchSize: Int) throws {
        let entries = try Self.history(seed: 4, customers: 25)
        let directory = try TemporaryDirectory()
        var restartsMidChange = 0
        func project(_ name: String, batch: Int, restartEachBatch: Bool) throws -> String {
            let journal = try Journal(
                directory: directory.file("\(name)-journal"), configuration: .init(durability: .nosync))
            _ = try journal.append(
                entries.map { entry in
                    let line = JournalTick.isTick(entry) ? JournalTick.line(entry) : Array("{\"id\":\(entry.id)}".utf8)
                    return JournalAppend(platformID: entry.id, entry: line, compact: CompactEntryCodec.encode(entry))
                })
            let store = try StateStore(path: directory.file("\(name).sqlite"))
            let head = try journal.head()
            if restartEachBatch {
                var seq: UInt64 = 0
                while seq < head {
                    // Three messages per entry at most: week changes go on over several entries.
                    let projector = Projector(journal: journal, store: store, batchSize: batch, messagesPerEntry: 3)
                    seq = try projector.run(through: min(head, seq + UInt64(batch))).toSeq
                    if try store.clock(Projector.defaultName)?.sweeping == true { restartsMidChange += 1 }
                }
            } else {
                _ = try Projector(journal: journal, store: store, messagesPerEntry: 3).run()
            }
            return try store.digest()
        }
        let whole = try project("whole", batch: 10_000, restartEachBatch: false)
        let pieces = try project("pieces", batch: batchSize, restartEachBatch: true)
        #expect(pieces == whole)
        #expect(restartsMidChange > 5, "warm starts fell in the middle of a week change")
    }
}
