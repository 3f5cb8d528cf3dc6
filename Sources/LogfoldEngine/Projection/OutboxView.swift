import LogfoldDomain
package import LogfoldStore

/// Renders outbox rows for people and scripts (`logfold outbox`, `logfold customer`).
package enum OutboxView {
    /// One JSON object, with the contract's fields: key, kind, metric, unique_id, time (RFC 3339, UTC),
    /// value, profile, properties, list, status, source_seq, destination.
    package static func json(_ item: OutboxRowWithStatus) -> String {
        let row = item.row
        let body = try? ProjectionCodec.decodeBody(row.body)
        var o = JSONObjectBuilder()
        o.add("key", row.key)
        o.add("kind", row.kind)
        o.add("metric", row.metric)
        o.add("unique_id", row.uniqueID)
        o.add("time", Timestamp(unixSeconds: row.time).utcSecondsString)
        o.add("value", row.value.map { JSONValue.number($0) })
        o.add("value_currency", body?.currency)
        if let body {
            let identity = body.identity
            var p = JSONObjectBuilder()
            // `null` is a member the upsert clears; an absent one is not known.
            func add(_ key: String, _ value: String?, _ field: IdentityFields) {
                if let value { p.add(key, value) } else if body.clearedIdentity.contains(field) { p.addNull(key) }
            }
            p.add("external_id", identity.externalID)
            p.add("email", identity.email)
            add("first_name", identity.firstName, .firstName)
            add("last_name", identity.lastName, .lastName)
            add("phone_number", identity.phone, .phone)
            o.add("profile", p.object)
        }
        o.add("properties", body?.properties)
        o.add("list", row.list)
        o.add("status", item.status)
        o.add("source_seq", JSONValue.number(String(row.sourceSeq)))
        if let error = item.lastError { o.add("last_error", error) }
        if let outcome = item.outcome { o.add("outcome", outcome) }
        if let at = item.deliveredAt { o.add("delivered_at", Timestamp(unixSeconds: at).utcSecondsString) }
        o.add("destination", "klaviyo")
        return o.object.rendered
    }

    /// One line for people: seq, status, kind, metric or list, unique id, time (input text with its
    /// control characters made visible, ``TerminalText``).
    package static func line(_ item: OutboxRowWithStatus) -> String {
        let row = item.row
        let what = TerminalText.visible(row.metric ?? row.list ?? "")
        let customer = TerminalText.visible(row.customerID)
        let uniqueID = TerminalText.visible(row.uniqueID ?? "")
        return "\(row.sourceSeq)\t\(item.status)\t\(row.kind)\t\(customer)\t\(what)\t\(uniqueID)\t"
            + Timestamp(unixSeconds: row.time).utcSecondsString
    }
}
