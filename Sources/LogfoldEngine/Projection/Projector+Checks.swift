package import LogfoldDomain
import LogfoldJournal
package import LogfoldStore

extension Projector {
    /// ActiveCampaign's mapping (`mapping`'s) when it is enabled in `store` (folded with Klaviyo), else `nil`.
    package static func enabledActiveCampaign(in store: StateStore, mapping: EventMapping)
        throws(EngineError) -> ActiveCampaignMapping?
    {
        do {
            let enabled = try store.destinations().contains { $0.name == activeCampaignName && $0.state == .enabled }
            return enabled ? mapping.activeCampaign : nil
        } catch {
            throw EngineError(
                .io, "state store: \(error)", remedy: "see the store error; the journal is untouched", cause: error)
        }
    }

    /// Stops when the journal does not hold, at the checkpoint's seq, the record the store folded last:
    /// a journal restored from an older backup (or short of commits lost under `--durability nosync`)
    /// would otherwise have its new entries under seqs the store counts as folded, never folded.
    func verifyJournalHoldsCheckpoint(_ checkpoint: UInt64, head: UInt64) throws(EngineError) {
        guard checkpoint > 0 else { return }
        let remedy =
            "rebuild the state from this journal into a new directory (`logfold replay --data DIR --into NEW`) "
            + "and use that, or put back the journal this store was projected from"
        guard head >= checkpoint else {
            throw EngineError(
                .corrupt,
                "the state store has folded the journal up to seq \(checkpoint), but the journal ends at seq \(head): "
                    + "it was restored from an older backup or lost its last commits, and entries journaled since "
                    + "would be counted as folded without being folded",
                remedy: remedy)
        }
        guard let expected = try storeCall({ try store.checkpointIdentity(name) }) else { return }
        let record = try journalCall { try journal.record(at: checkpoint) }
        guard let record, Self.identity(record) == expected else {
            let found = record.map { "entry id \($0.platformID)" } ?? "nothing"
            throw EngineError(
                .corrupt,
                "the journal holds \(found) at seq \(checkpoint), not entry id \(expected.platformID) that the state "
                    + "store folded there: this is not the journal the store was projected from (restored from "
                    + "an older backup, or lost commits and journaled other entries since)",
                remedy: remedy)
        }
    }

}
