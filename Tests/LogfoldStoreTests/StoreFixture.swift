import LogfoldTestSupport

@testable import LogfoldStore

/// Rows and batches for the store's tests: every column filled, values derived from small integers so
/// expectations can be written down.
enum StoreFixture {
    /// Opens a fresh store in `directory`.
    static func store(in directory: TemporaryDirectory, name: String = "state.sqlite") throws -> StateStore {
        try StateStore(path: directory.file(name))
    }

    /// A customer with every column set, distinct for each `number` and `seq`.
    static func customer(_ number: Int, seq: UInt64 = 1) -> CustomerRow {
        CustomerRow(
            id: "c\(number)",
            email: "customer\(number)@example.com",
            firstName: "First\(number)",
            lastName: "Last\(number)",
            status: number.isMultiple(of: 7) ? "Dead" : "Active",
            schedule: "weekly",
            box: "Family \(number % 3)",
            signupDate: "2020-05-15",
            nextDelivery: "2020-06-0\(number % 9 + 1)",
            cancelDate: number.isMultiple(of: 5) ? "2020-07-01" : nil,
            weekTag: "open order",
            subscribed: number.isMultiple(of: 4) ? nil : !number.isMultiple(of: 3),
            suppressed: number.isMultiple(of: 7),
            missedSignup: number.isMultiple(of: 6),
            lists: number.isMultiple(of: 2) ? "abandoned,all customers" : "all customers",
            lastSeq: seq,
            state: [UInt8(truncatingIfNeeded: number), UInt8(truncatingIfNeeded: seq), 0x00, 0xFF]
        )
    }

    /// An order with every column set.
    static func order(_ number: Int, customer: Int, seq: UInt64 = 1, stage: String = "placed") -> OrderRow {
        OrderRow(
            id: "o\(number)",
            customerID: "c\(customer)",
            stage: stage,
            total: "\(number).95",
            currency: "USD",
            placedSeq: seq,
            lastSeq: seq,
            state: [0x4F, UInt8(truncatingIfNeeded: number), UInt8(truncatingIfNeeded: seq)]
        )
    }

    /// An event message produced by entry `seq` (the `index`-th message of that entry), body ~200 bytes.
    static func message(
        seq: UInt64,
        index: UInt64 = 0,
        customer: Int,
        key: String? = nil,
        kind: String = "event"
    ) -> OutboxRow {
        OutboxRow(
            key: key ?? "event|Placed Order|\(seq)_\(index)|c\(customer)",
            ordinal: seq << 16 | index,
            kind: kind,
            customerID: "c\(customer)",
            metric: kind == "event" ? "Placed Order" : nil,
            uniqueID: kind == "event" ? "\(seq)_\(index)" : nil,
            time: 1_589_562_236 + Int64(seq),
            value: kind == "event" ? "\(seq).95" : nil,
            list: kind == "list_add" ? "abandoned" : nil,
            sourceSeq: seq,
            body: (0..<200).map { UInt8(truncatingIfNeeded: Int(seq) &* 31 &+ $0) }
        )
    }

    /// The batches a projector would commit over a synthetic journal, `size` entries per batch.
    ///
    /// Entry `seq` touches customer `seq % 17` (and order `seq % 11` every third entry) and emits two
    /// messages; every fifth entry repeats an earlier message's key, as a replayed event would. Each batch
    /// carries the touched rows once, in their final state.
    static func batches(entries: UInt64, size: UInt64, reversed: Bool = false) -> [ProjectionBatch] {
        var batches: [ProjectionBatch] = []
        var from: UInt64 = 0
        while from < entries {
            let to = min(from + size, entries)
            var customers: [String: CustomerRow] = [:]
            var orders: [String: OrderRow] = [:]
            var outbox: [OutboxRow] = []
            for seq in (from + 1)...to {
                let number = Int(seq % 17)
                customers["c\(number)"] = customer(number, seq: seq)
                if seq.isMultiple(of: 3) {
                    let stage = seq.isMultiple(of: 2) ? "fulfilled" : "placed"
                    orders["o\(seq % 11)"] = order(Int(seq % 11), customer: number, seq: seq, stage: stage)
                }
                outbox.append(message(seq: seq, customer: number))
                let repeated = seq.isMultiple(of: 5) ? "profile|c\(number)" : nil
                outbox.append(message(seq: seq, index: 1, customer: number, key: repeated, kind: "profile"))
            }
            var batch = ProjectionBatch(
                customers: customers.values.sorted { $0.id < $1.id },
                orders: orders.values.sorted { $0.id < $1.id },
                outbox: outbox,
                fromSeq: from,
                toSeq: to
            )
            if reversed {
                batch.customers.reverse()
                batch.orders.reverse()
                batch.outbox.reverse()
            }
            batches.append(batch)
            from = to
        }
        return batches
    }

    /// `batches` with one ActiveCampaign row per entry beside Klaviyo's (a tracked event, or every fifth
    /// entry a contact sync whose key repeats another entry's: kept all the same, by ordinal, since v18).
    static func withActiveCampaign(_ batches: [ProjectionBatch]) -> [ProjectionBatch] {
        batches.map { batch in
            var batch = batch
            batch.activeCampaignOutbox = ((batch.fromSeq + 1)...batch.toSeq).map { seq in
                let number = Int(seq % 17)
                let repeated = seq.isMultiple(of: 5)
                return ActiveCampaignOutboxRow(
                    key: repeated ? "activecampaign/contact/c\(number)" : "activecampaign/event/\(seq)",
                    ordinal: seq << 16 | 2, kind: repeated ? .contact : .event, customerID: "c\(number)",
                    time: 1_589_562_236 + Int64(seq), sourceSeq: seq, body: Array(#"{"seq":\#(seq)}"#.utf8))
            }
            return batch
        }
    }

    /// The first column of every row `sql` returns from `store`, as text.
    static func strings(_ sql: String, in store: StateStore) throws -> [String] {
        try store.read("test: \(sql)") { db in
            var values: [String] = []
            try RawStatement(db, sql).forEachRow(path: store.path, { sql }) { values.append($0.string(0)) }
            return values
        }
    }

    /// Commits `batches` in order as projector `projector` and returns the store's digest.
    static func digest(of batches: [ProjectionBatch], projector: String = "main") throws -> String {
        let directory = try TemporaryDirectory(prefix: "logfold-store-digest")
        let store = try store(in: directory)
        for batch in batches {
            _ = try store.commit(batch, projector: projector)
        }
        return try store.digest()
    }
}
