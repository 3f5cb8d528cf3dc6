internal import GRDB

extension StoreSchema {
    /// Since v17: the mark of a replay that writes its customers when it ends (ADR 0005 decision 4).
    ///
    /// One row while the store's customers lag its checkpoint, none otherwise: a replay interrupted before
    /// it wrote them leaves a store whose outbox is right and whose customers are not, and every command
    /// refuses it (``StateStore/unwrittenCustomersSince()``).
    static let version17 = [
        "CREATE TABLE unwritten_customers (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), since INTEGER NOT NULL)"
    ]
}

extension StateStore {
    /// Marks the store's customers as written only when the fold that starts at `seq` ends: until a batch
    /// with ``ProjectionBatch/completesCustomers`` commits, ``unwrittenCustomersSince()`` reports it.
    package func markCustomersUnwritten(since seq: UInt64) throws(StoreError) {
        try write("marking the customers as written when the replay ends") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO unwritten_customers (id, since) VALUES (1, ?)",
                arguments: [Int64(clamping: seq)])
        }
    }

    /// The seq from which a replay left its customers unwritten, or `nil` when the store holds every
    /// customer as its checkpoint has it.
    package func unwrittenCustomersSince() throws(StoreError) -> UInt64? {
        try read("reading whether the replay wrote its customers") { db in
            try Int64.fetchOne(db, sql: "SELECT since FROM unwritten_customers WHERE id = 1").map {
                UInt64(clamping: $0)
            }
        }
    }

    /// Removes the mark, in the transaction of the batch that writes the last unwritten customers.
    static func clearUnwrittenCustomers(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM unwritten_customers")
    }
}
