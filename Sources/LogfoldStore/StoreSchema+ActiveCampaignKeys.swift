extension StoreSchema {
    /// ActiveCampaign's rows are kept once by their ordinal, not by an index of their keys (since v18).
    ///
    /// Every ActiveCampaign key carries its entry's seq, so two rows could share a key only within one
    /// entry, where the fold gives each message its own key (tested on generated journals): the unique
    /// index only repeated what the ordinal says. A message folded again (a catch-up started over, a
    /// replay resumed) has the same ordinal and is left out by the primary key (`ON CONFLICT(ordinal)`).
    /// The index took 2.4 s to build at the end of a replay of the synthetic year (the folding thread's
    /// index build 1,216 → 1,037 M instructions on a 65,629-entry journal) and an entry per row in a live
    /// commit (`project` of that journal with both destinations: 1.9 → 1.7 s of CPU, 4 pairs). Retrying a
    /// dead row by its key finds it through the queue index (`activecampaign_outbox_unsettled`) instead.
    static let version18 = ["DROP INDEX IF EXISTS activecampaign_outbox_by_key"]
}
