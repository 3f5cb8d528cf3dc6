import LogfoldDomain
import LogfoldStore
import Synchronization

extension Sender {
    /// The index of the first suppression in `rows` that must wait for its customer's profile upsert.
    ///
    /// The fold puts a profile upsert before the suppression of the same entry only when the upsert gives
    /// the profile an email another customer let go (``SharedIdentifiers``): suppressing that email before
    /// the upsert is in Klaviyo would reach the profile that held it before. The event stream stops short
    /// of such a suppression until the profile stream has delivered the upsert (or a `--once` run's profile
    /// stream has ended).
    func firstSuppressionAwaitingItsProfile(_ rows: [OutboxRowWithStatus]) async throws -> Int? {
        guard !profileStreamDone.load(ordering: .sequentiallyConsistent) else { return nil }
        for (index, item) in rows.enumerated() where item.row.kind == OutboundMessage.Kind.suppress.rawValue {
            // Index 0 in its entry: nothing of the entry comes before it.
            guard item.row.ordinal & 0xFFFF != 0 else { continue }
            let row = item.row
            let waiting = try await store.read {
                try $0.hasPendingProfile(customerID: row.customerID, sourceSeq: row.sourceSeq, before: row.ordinal)
            }
            if waiting { return index }
        }
        return nil
    }
}
