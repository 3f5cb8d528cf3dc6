import LogfoldDomain
import LogfoldJournal
import LogfoldStore

/// A replay writes each customer's row once, when it ends, not in every batch that touched the customer
/// (ADR 0005 decision 4).
///
/// A batch of a year's replay touches thousands of customers, and each one's row was built (its state
/// encoded) on the folding thread and upserted on the committing one, batch after batch: measured on the
/// synthetic year, writing none cut the replay's CPU by 7–11%. The fold holds every customer in memory
/// throughout, so the rows can wait. The store carries a mark meanwhile
/// (``StateStore/markCustomersUnwritten(since:)``), removed in the transaction of the last customers' batch:
/// a replay interrupted before that leaves a store every command refuses, since its customers lag its
/// outbox. When memory needs customers to leave for the store (``evictSetAsideCustomers(committed:)``),
/// those unwritten go in first and the rest of the run writes them with each batch, as `project` does.
extension Projector {
    /// The rows of the customers a batch touched: none while customers wait for the end (they are
    /// remembered instead), those changed after `checkpoint` otherwise.
    func batchCustomerRows(_ touched: Set<String>, changedAfter checkpoint: UInt64) -> [CustomerRow] {
        guard customersAtEnd else { return customerRows(touched, changedAfter: checkpoint) }
        unwrittenCustomers.formUnion(touched)
        return []
    }

    /// Submits the rows of every customer left unwritten; `false` once a commit has failed.
    ///
    /// In id order, in batches of at most the byte budget that keep the checkpoint at `checkpoint`; the last
    /// one removes the store's mark. From then on each batch writes its own customers.
    func writeUnwrittenCustomers(at checkpoint: UInt64, committer: BatchCommitter) throws(EngineError) -> Bool {
        customersAtEnd = false
        customersWrittenAt = checkpoint
        let ids = unwrittenCustomers.sorted()
        unwrittenCustomers = []
        let lastRecord =
            checkpoint == 0 ? nil : try journalCall { try journal.record(at: checkpoint) }.map(Self.identity)
        let perBatch = max(1, batchBytes / Self.customerRowBytes)
        var start = 0
        repeat {
            let end = min(ids.count, start + perBatch)
            var batch = ProjectionBatch(
                customers: customerRows(ids[start..<end]), fromSeq: checkpoint, toSeq: checkpoint,
                clock: ProjectionRows.row(projection.clock), lastRecord: lastRecord)
            batch.movesWith = movesWith
            batch.completesCustomers = end == ids.count
            guard committer.submit(batch) else { return false }
            start = end
        } while start < ids.count
        return true
    }

    /// The rows of the customers `ids` names (sorted), every one the fold changed, one state decoded at a
    /// time.
    private func customerRows(_ ids: ArraySlice<String>) -> [CustomerRow] {
        var rows: [CustomerRow] = []
        rows.reserveCapacity(ids.count)
        for id in ids {
            let row = projection.withCustomer(id) { customer in
                customer.lastSeq > 0 ? ProjectionRows.row(customer) : nil
            }
            if let row = row ?? nil { rows.append(row) }
        }
        return rows
    }
}
