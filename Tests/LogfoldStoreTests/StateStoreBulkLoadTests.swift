import LogfoldStore
import LogfoldTestSupport
import Testing

@Suite("Bulk loads")
struct StateStoreBulkLoadTests {
    @Test("A bulk load drops the per-customer index until it ends, across reopening, and changes no result")
    func bulkLoadDefersIndex() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let batches = StoreFixture.batches(entries: 120, size: 10)
        let store = try StateStore(path: path)
        #expect(try store.isBulkLoading() == false)

        try store.beginBulkLoad()
        try store.beginBulkLoad()
        #expect(try store.isBulkLoading())
        for batch in batches[..<6] {
            _ = try store.commit(batch, projector: "replay")
        }
        let during = try store.outbox(customerID: "c3")
        try store.close()

        let reopened = try StateStore(path: path)
        #expect(try reopened.isBulkLoading())
        for batch in batches[6...] {
            _ = try reopened.commit(batch, projector: "replay")
        }
        try reopened.endBulkLoad()
        try reopened.endBulkLoad()

        #expect(try reopened.isBulkLoading() == false)
        #expect(!during.isEmpty)
        #expect(try Array(reopened.outbox(customerID: "c3").prefix(during.count)) == during)
        #expect(try reopened.digest() == StoreFixture.digest(of: batches, projector: "replay"))
    }
}
