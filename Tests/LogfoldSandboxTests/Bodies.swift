import LogfoldSandbox

/// Request bodies in Klaviyo's shapes, small enough to read in a test.
enum Bodies {
    /// The event attributes object (without profile).
    static func event(
        metric: String = "Placed Order", uniqueID: String? = "o-1", time: String? = "2025-06-01T12:00:00+00:00",
        value: String? = "9.99", currency: String? = "USD", properties: String = #"{"OrderId":"o-1"}"#,
        backfill: Bool? = nil, extra: String = ""
    ) -> String {
        var fields = [
            #""properties":\#(properties)"#,
            #""metric":{"data":{"type":"metric","attributes":{"name":\#(quoted(metric))}}}"#,
        ]
        if let uniqueID { fields.append(#""unique_id":\#(quoted(uniqueID))"#) }
        if let time { fields.append(#""time":\#(quoted(time))"#) }
        if let value { fields.append(#""value":\#(value)"#) }
        if let currency { fields.append(#""value_currency":\#(quoted(currency))"#) }
        if let backfill { fields.append(#""backfill":\#(backfill)"#) }
        if !extra.isEmpty { fields.append(extra) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A profile resource object.
    static func profile(
        email: String? = "ann@example.com", externalID: String? = "c1", phone: String? = nil, extra: String = ""
    ) -> String {
        var fields: [String] = []
        if let email { fields.append(#""email":\#(quoted(email))"#) }
        if let externalID { fields.append(#""external_id":\#(quoted(externalID))"#) }
        if let phone { fields.append(#""phone_number":\#(quoted(phone))"#) }
        if !extra.isEmpty { fields.append(extra) }
        return #"{"type":"profile","attributes":{"# + fields.joined(separator: ",") + "}}"
    }

    /// A Create Event body.
    static func createEvent(_ event: String = event(), profile: String = profile()) -> String {
        let attributes = String(event.dropLast()) + #","profile":{"data":\#(profile)}}"#
        return #"{"data":{"type":"event","attributes":\#(attributes)}}"#
    }

    /// A Bulk Create Events body: one item per (profile, events).
    static func bulk(_ items: [(profile: String, events: [String])]) -> String {
        let data = items.map { item in
            let events = item.events.map { #"{"type":"event","attributes":\#($0)}"# }.joined(separator: ",")
            return
                #"{"type":"event-bulk-create","attributes":{"profile":{"data":\#(item.profile)},"events":{"data":[\#(events)]}}}"#
        }
        return
            #"{"data":{"type":"event-bulk-create-job","attributes":{"events-bulk-create":{"data":[\#(data.joined(separator: ","))]}}}}"#
    }

    /// A Create or Update Profile body.
    static func profileImport(_ attributes: String, id: String? = nil) -> String {
        let idField = id.map { #""id":\#(quoted($0)),"# } ?? ""
        return #"{"data":{"type":"profile",\#(idField)"attributes":{\#(attributes)}}}"#
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = ""
        SandboxJSON.renderString(text, into: &out)
        return out
    }
}
