import LogfoldTestSupport
import Testing

@testable import LogfoldStore

@Suite("Bulk loads")
struct StateStoreBulkLoadTests {
    @Test(
        "A bulk load drops the key and per-customer indexes until it ends, across reopening, and changes no result"
    )
    func bulkLoadDefersIndexes() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        // Every fifth entry repeats an earlier key: without the key index they go in, and the end drops them.
        let batches = StoreFixture.batches(entries: 120, size: 10)
        let reference = try StoreFixture.store(in: directory, name: "reference.sqlite")
        var keptByReference = 0
        for batch in batches { keptByReference += try reference.commit(batch, projector: "replay") }

        let store = try StateStore(path: path)
        #expect(try store.isBulkLoading() == false)
        try store.beginBulkLoad()
        try store.beginBulkLoad()
        #expect(try store.isBulkLoading())
        var written = 0
        for batch in batches[..<6] { written += try store.commit(batch, projector: "replay") }
        #expect(try !store.outbox(customerID: "c3").isEmpty)
        try store.close()

        let reopened = try StateStore(path: path)
        #expect(try reopened.isBulkLoading())
        for batch in batches[6...] { written += try reopened.commit(batch, projector: "replay") }
        let repeated = try reopened.endBulkLoad()
        #expect(try reopened.endBulkLoad() == 0)

        #expect(repeated > 0)
        #expect(written - repeated == keptByReference)
        #expect(try reopened.isBulkLoading() == false)
        for customer in ["c0", "c3", "c16"] {
            #expect(try reopened.outbox(customerID: customer) == reference.outbox(customerID: customer))
        }
        #expect(try reopened.digest() == reference.digest())
        // The key index is back: a repeated key is refused again, not inserted.
        let last = try #require(batches.last)
        let again = ProjectionBatch(outbox: last.outbox, fromSeq: last.toSeq, toSeq: last.toSeq + 1)
        #expect(try reopened.commit(again, projector: "replay") == 0)
    }

    @Test("A bulk load defers ActiveCampaign's per-customer and queue indexes too; its rows go in as live")
    func bulkLoadDefersActiveCampaignIndexes() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let batches = StoreFixture.withActiveCampaign(StoreFixture.batches(entries: 90, size: 10))
        let reference = try StoreFixture.store(in: directory, name: "reference.sqlite")
        var keptByReference = 0
        for batch in batches { keptByReference += try reference.commit(batch, projector: "replay") }

        let store = try StoreFixture.store(in: directory)
        func indexes() throws -> [String] {
            try store.read("test") { db in
                var names: [String] = []
                let statement = try RawStatement(
                    db,
                    "SELECT name FROM sqlite_master WHERE tbl_name = 'activecampaign_outbox' AND type = 'index' "
                        + "AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name")
                try statement.forEachRow(path: "test", { "test" }) { names.append($0.string(0)) }
                return names
            }
        }
        let before = try indexes()
        try store.beginBulkLoad()
        #expect(try indexes().isEmpty)
        var written = 0
        for batch in batches { written += try store.commit(batch, projector: "replay") }
        let repeated = try store.endBulkLoad()
        #expect(try indexes() == before)
        #expect(before.contains("activecampaign_outbox_unsettled"))

        #expect(written - repeated == keptByReference)
        #expect(try store.activeCampaignOutbox() == reference.activeCampaignOutbox())
        #expect(try store.activeCampaignOutbox(customerID: "c3") == reference.activeCampaignOutbox(customerID: "c3"))
        #expect(try store.digest() == reference.digest())
        // Rows are kept by their ordinal (schema v18): the fixture's keys repeat across seqs, and every row
        // is there; the same rows committed again are left out.
        #expect(try store.activeCampaignOutbox().count == 90)
        let last = try #require(batches.last)
        var again = ProjectionBatch(fromSeq: last.toSeq, toSeq: last.toSeq + 1)
        again.activeCampaignOutbox = last.activeCampaignOutbox
        #expect(try store.commit(again, projector: "replay") == 0)
    }

    @Test(
        "The writer's page cache is 16 MiB from a bulk load's start to its end, and 64 MiB outside one; the sorter's helper threads end with the load"
    )
    func bulkLoadCache() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StateStore(path: directory.file("state.sqlite"))
        #expect(try store.writerPageCacheKiB() == StateStore.writerCacheKiB)
        try store.beginBulkLoad()
        #expect(try store.writerPageCacheKiB() == StateStore.bulkLoadCacheKiB)
        for batch in StoreFixture.batches(entries: 20, size: 10) { _ = try store.commit(batch, projector: "replay") }
        #expect(try store.writerPageCacheKiB() == StateStore.bulkLoadCacheKiB)
        try store.endBulkLoad()
        #expect(try store.writerPageCacheKiB() == StateStore.writerCacheKiB)
        #expect(StateStore.bulkLoadCacheKiB < StateStore.writerCacheKiB)
        // Helpers sort while the indexes are built; the writer's everyday statements run without them.
        #expect(try store.writerSortThreads() == 0)
    }
}
