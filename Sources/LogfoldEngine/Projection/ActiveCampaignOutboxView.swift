import LogfoldDomain
package import LogfoldStore

/// Renders ActiveCampaign's outbox rows (`logfold outbox --destination activecampaign`).
package enum ActiveCampaignOutboxView {
    /// The stored message (docs/activecampaign-mapping.md's fields) with its delivery status.
    package static func json(_ item: ActiveCampaignOutboxRowWithStatus) -> String {
        var text = String(decoding: item.row.json, as: UTF8.self)
        // The body is logfold's own rendering of one JSON object: its status goes in before the brace.
        guard text.last == "}" else { return text }
        text.removeLast()
        var tail = JSONObjectBuilder()
        tail.add("status", item.status.name)
        if let error = item.lastError { tail.add("last_error", error) }
        tail.add("destination", "activecampaign")
        let members = tail.object.rendered.dropFirst()
        return text + "," + members
    }

    /// One line for people: seq, status, kind, customer, what (event name, tag or order), time.
    package static func line(_ item: ActiveCampaignOutboxRowWithStatus) -> String {
        let row = item.row
        let what = row.key.split(separator: "/").dropFirst(3).joined(separator: "/")
        return "\(row.sourceSeq)\t\(item.status.name)\t\(row.kind.name)\t\(TerminalText.visible(row.customerID))\t"
            + TerminalText.visible(what) + "\t" + Timestamp(unixSeconds: row.time).utcSecondsString
    }
}
