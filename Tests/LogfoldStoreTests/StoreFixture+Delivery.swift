@testable import LogfoldStore

extension StoreFixture {
    /// Writes the delivery columns of one outbox row, as the sender will.
    static func deliver(
        _ store: StateStore,
        ordinal: UInt64,
        status: String,
        attempts: Int = 1,
        lastError: String? = nil
    ) throws {
        try store.write("test: setting a delivery status") { db in
            let statement = try RawStatement(
                db,
                "UPDATE outbox SET status = ?, attempts = ?, last_error = ? WHERE ordinal = ?"
            )
            statement.bind(1, status)
            statement.bind(2, Int64(attempts))
            statement.bind(3, lastError)
            statement.bind(4, ordinal)
            try statement.execute(path: store.path) { "test" }
        }
    }
}
