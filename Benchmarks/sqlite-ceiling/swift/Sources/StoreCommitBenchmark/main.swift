// LogfoldStore's commit path with the rows ceiling.c writes: N entries, each one customer upsert plus one
// outbox row, 10,000 entries per transaction. Only the time inside `commit` (or the GRDB-arguments
// transaction) is counted; building the rows is not.
//
//   per-entry       a customer row per entry (a customer touched twice in a batch is written twice)
//   per-batch       each customer touched in a batch once, in its latest state (hot state in memory)
//   grdb-arguments  per-batch rows written through GRDB's StatementArguments instead of the store's
//                   raw binds, on the same schema: the measurement behind ADR 0003
//
//   --bulk 1        inside beginBulkLoad()/endBulkLoad() (the index rebuild is counted as commit time)
//
// Usage: StoreCommitBenchmark [--entries N] [--batch N] [--customers N] [--mode MODE] [--bulk 0|1] [--db PATH]
import Foundation
import GRDB
import LogfoldStore

var entries = 2_500_000
var batchSize = 10_000
var customerCount = 20_000
var mode = "per-entry"
var path = "commit.sqlite"
var bulk = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let name = arguments.next(), let value = arguments.next() {
    switch name {
    case "--entries": entries = Int(value) ?? entries
    case "--batch": batchSize = Int(value) ?? batchSize
    case "--customers": customerCount = Int(value) ?? customerCount
    case "--mode": mode = value
    case "--db": path = value
    case "--bulk": bulk = value == "1"
    default:
        FileHandle.standardError.write(Data("unknown option \(name)\n".utf8))
        exit(2)
    }
}

/// xorshift64*, as in ceiling.c.
struct Random {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

var random = Random()
let pool = (0..<8192).map { _ in UInt8(truncatingIfNeeded: random.next()) }

@MainActor func customer(_ number: Int, seq: UInt64) -> CustomerRow {
    let offset = Int(seq &* 61 % 4096)
    return CustomerRow(
        id: String(1_000_000 + number),
        email: "customer\(number)@example.com",
        firstName: "First\(number)",
        lastName: "Last\(number)",
        status: "Active",
        schedule: "Every week",
        box: "Classic Family Box",
        signupDate: "2020-05-15T17:03:56Z",
        nextDelivery: "2020-06-01",
        cancelDate: nil,
        weekTag: "open order",
        subscribed: true,
        suppressed: false,
        missedSignup: false,
        lists: "all customers,purchases",
        lastSeq: seq,
        state: Array(pool[offset..<offset + 160 + Int(seq % 81)])
    )
}

let metrics = [
    "Placed Order", "Ordered Product", "Logged In", "Changed Box", "Skipped Order", "Started Checkout",
    "Fulfilled Order", "Added Delivery",
]

/// Keys in the domain's format, as in ceiling.c: three events in four, one profile upsert.
@MainActor func message(_ number: Int, seq: UInt64) -> OutboxRow {
    let id = String(1_000_000 + number)
    let unique = String(40_000_000 + seq * 3)
    let metric = metrics[Int(seq % 8)]
    let profile = seq % 4 == 3
    let offset = Int(seq &* 37 % 4096)
    return OutboxRow(
        key: profile ? "profile/\(id)/\(seq)" : "event/\(metric)/\(unique)/\(id)",
        ordinal: seq << 16,
        kind: profile ? "profile" : "event",
        customerID: id,
        metric: profile ? nil : metric,
        uniqueID: profile ? nil : unique,
        time: 1_589_562_236 + Int64(seq),
        value: profile ? nil : "47.95",
        list: nil,
        sourceSeq: seq,
        body: Array(pool[offset..<offset + 150 + Int(random.next() % 251)])
    )
}

/// The same INSERT statements as the store's, bound through GRDB's `StatementArguments`.
func commitWithArguments(_ batch: ProjectionBatch, _ database: DatabasePool) throws {
    let columns =
        "id, email, first_name, last_name, status, schedule, box, signup_date, next_delivery, "
        + "cancel_date, week_tag, subscribed, suppressed, missed_signup, lists, last_seq, state"
    let updates = columns.split(separator: ", ").dropFirst().map { "\($0) = excluded.\($0)" }
    let upsert =
        "INSERT INTO customers (\(columns)) VALUES (\(Array(repeating: "?", count: 17).joined(separator: ", ")))"
        + " ON CONFLICT(id) DO UPDATE SET " + updates.joined(separator: ", ")
    let insert =
        "INSERT INTO outbox (ordinal, key, kind, customer_id, metric, unique_id, time, value, list, "
        + "source_seq, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING"
    try database.write { db in
        let current = try UInt64.fetchOne(db, sql: "SELECT seq FROM checkpoints WHERE name = 'main'") ?? 0
        precondition(current == batch.fromSeq, "checkpoint moved")
        let customers = try db.cachedStatement(sql: upsert)
        for row in batch.customers {
            customers.setUncheckedArguments([
                row.id, row.email, row.firstName, row.lastName, row.status, row.schedule, row.box, row.signupDate,
                row.nextDelivery, row.cancelDate, row.weekTag, row.subscribed, row.suppressed, row.missedSignup,
                row.lists, Int64(row.lastSeq), Data(row.state),
            ])
            try customers.execute()
        }
        let outbox = try db.cachedStatement(sql: insert)
        for row in batch.outbox {
            outbox.setUncheckedArguments([
                Int64(row.ordinal), row.key, row.kind, row.customerID, row.metric, row.uniqueID, row.time, row.value,
                row.list, Int64(row.sourceSeq), Data(row.body),
            ])
            try outbox.execute()
        }
        try db.execute(
            sql:
                "INSERT INTO checkpoints (name, seq) VALUES ('main', ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq",
            arguments: [Int64(batch.toSeq)]
        )
    }
}

for suffix in ["", "-wal", "-shm"] {
    try? FileManager.default.removeItem(atPath: path + suffix)
}
let store = try StateStore(path: path)
var database: DatabasePool?
if mode == "grdb-arguments" {
    try store.close()
    var configuration = Configuration()
    configuration.prepareDatabase { db in
        try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA synchronous = NORMAL")
    }
    database = try DatabasePool(path: path, configuration: configuration)
}
let perBatch = mode != "per-entry"
let clock = ContinuousClock()
var inCommit = Duration.zero
var customerWrites = 0
var newMessages = 0
var latest = [UInt64](repeating: 0, count: customerCount)
let wall = clock.now
if bulk {
    let started = clock.now
    if let database {
        try database.write { db in try db.execute(sql: "DROP INDEX outbox_by_customer") }
    } else {
        try store.beginBulkLoad()
    }
    inCommit += clock.now - started
}
var first = 0
while first < entries {
    let last = min(first + batchSize, entries)
    var customers: [CustomerRow] = []
    var touched: [Int] = []
    var outbox: [OutboxRow] = []
    outbox.reserveCapacity(last - first)
    for entry in first..<last {
        let seq = UInt64(entry + 1)
        let number = Int(random.next() % UInt64(customerCount))
        if perBatch {
            if latest[number] == 0 { touched.append(number) }
            latest[number] = seq
        } else {
            customers.append(customer(number, seq: seq))
        }
        outbox.append(message(number, seq: seq))
    }
    for number in touched {
        customers.append(customer(number, seq: latest[number]))
        latest[number] = 0
    }
    customerWrites += customers.count
    let batch = ProjectionBatch(customers: customers, outbox: outbox, fromSeq: UInt64(first), toSeq: UInt64(last))
    let started = clock.now
    if let database {
        try commitWithArguments(batch, database)
    } else {
        newMessages += try store.commit(batch, projector: "main")
    }
    inCommit += clock.now - started
    first = last
}
if bulk {
    let started = clock.now
    if let database {
        try database.write { db in
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS outbox_by_customer ON outbox(customer_id)")
        }
    } else {
        try store.endBulkLoad()
    }
    inCommit += clock.now - started
}
let total = clock.now - wall
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
let commitSeconds = seconds(inCommit)
print(
    "\(mode)\(bulk ? " bulk" : "") \(entries) entries, \(customerWrites) customer writes, \(batchSize) per transaction: "
        + String(
            format: "commit %.2f s, %.0f entries/s (wall %.2f s)", commitSeconds,
            Double(entries) / commitSeconds, seconds(total))
)
if database == nil {
    let started = clock.now
    let digest = try store.digest()
    print(
        String(format: "          digest() of the result: %.2f s", seconds(clock.now - started))
            + " (\(digest.prefix(12))…)")
}
