/// A tracked event's `eventdata`: the entry's time and log id, then the entry's own `data` members or,
/// for an order milestone, the order's id, total and currency.
///
/// Kept as its parts, not as a `JSONValue` tree: the fold wrote each event's tree once and freed it at
/// once, which was a twentieth of folding an entry for ActiveCampaign. ``json`` gives the tree.
package struct ActiveCampaignEventData: Sendable, Hashable {
    /// What follows the time and log id.
    package enum Content: Sendable, Hashable {
        /// The members of the entry's `data` object, shared with the entry, not copied.
        case entryData([JSONValue.Member])
        /// An order milestone's order: its id, and its total and currency when it has a total.
        case order(id: String, total: Money?, currency: String?)
    }

    /// The entry's `at`, written in its own offset.
    package var time: Timestamp
    /// The platform's log entry id.
    package var logID: UInt64
    package var content: Content

    /// Creates event data.
    package init(time: Timestamp, logID: UInt64, content: Content) {
        self.time = time
        self.logID = logID
        self.content = content
    }

    /// The object `eventdata` carries.
    package var json: JSONValue {
        var o = JSONObjectBuilder()
        addMembers(to: &o)
        return o.object
    }

    /// Adds the members, in order, to either sink.
    func addMembers<Sink: JSONObjectSink>(to o: inout Sink) {
        o.add("time", rfc3339: time)
        if let id = Int64(exactly: logID) {
            o.add("log_id", id)
        } else {
            // Past Int64, written as the unsigned number it is (no platform id is this large).
            o.add("log_id", JSONValue.number(String(logID)))
        }
        switch content {
        case .entryData(let members):
            o.add(members: members)
        case .order(let id, let total, let currency):
            o.add("order_id", id)
            o.add("total", total)
            o.add("currency", currency)
        }
    }
}
