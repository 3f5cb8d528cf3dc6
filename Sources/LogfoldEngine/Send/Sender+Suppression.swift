import LogfoldDomain
import LogfoldStore
import Synchronization

extension Sender {
    /// The index of the first suppression in `rows` that must wait for its customer's profile upsert.
    ///
    /// A suppression reaches Klaviyo's profile by email. Sent while an earlier upsert of its customer is
    /// still pending, it can reach the wrong profile or make one: the fold puts a profile upsert before the
    /// suppression of the same entry when the upsert gives the profile an email another customer let go
    /// (``SharedIdentifiers``), and suppressing an email Klaviyo does not hold yet creates a profile with
    /// that email alone, so the customer's upsert (`external_id` and email) then names two profiles and
    /// Klaviyo fails it: every upsert of that customer was dead-lettered, in about one send in seven of
    /// the benchmark's year, as the two streams' timing fell. The event stream stops short of such a
    /// suppression until the profile stream has delivered the customer's earlier upserts (or a `--once`
    /// run's profile stream has ended).
    func firstSuppressionAwaitingItsProfile(_ rows: [OutboxRowWithStatus]) async throws -> Int? {
        guard !profileStreamDone.load(ordering: .sequentiallyConsistent) else { return nil }
        for index in rows.indices where rows[index].row.kind == OutboundMessage.Kind.suppress.rawValue {
            let row = rows[index].row
            let waiting = try await store.read {
                try $0.hasPendingProfile(customerID: row.customerID, before: row.ordinal)
            }
            if waiting { return index }
        }
        return nil
    }
}
