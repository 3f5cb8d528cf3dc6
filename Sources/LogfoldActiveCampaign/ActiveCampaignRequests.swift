internal import LogfoldDomain

/// The calls logfold makes to ActiveCampaign, built from plain values (docs/activecampaign-mapping.md).
///
/// Bodies are rendered from ordered ``JSONValue``s, so the same values always make the same bytes.
/// Paths are relative to the account's `/api/3`.
package enum ActiveCampaignRequests {
    // MARK: Contacts, fields, lists, tags

    /// `POST /contact/sync`: creates or updates the contact with this email (the only upsert AC has).
    ///
    /// A `nil` name or phone leaves AC's value as it is; an empty string clears it. Field values go by
    /// field id; an empty value clears the field.
    package static func contactSync(_ contact: ContactValues) -> ActiveCampaignCall {
        var c = JSONObjectBuilder()
        c.add("email", contact.email)
        c.add("firstName", contact.firstName)
        c.add("lastName", contact.lastName)
        c.add("phone", contact.phone)
        if !contact.fields.isEmpty {
            c.add(
                "fieldValues",
                .array(
                    contact.fields.map {
                        .object([.init("field", .string($0.fieldID)), .init("value", .string($0.value))])
                    }))
        }
        return post("/contact/sync", ["contact": c.object])
    }

    /// `GET /fields`, one page of 100 (custom fields are found by their personalisation tag).
    package static func fields(offset: Int) -> ActiveCampaignCall {
        ActiveCampaignCall(.get, .api("/fields?limit=100&offset=\(offset)"))
    }

    /// `POST /fields`: a custom field.
    package static func createField(title: String, type: String, personalizationTag: String) -> ActiveCampaignCall {
        post(
            "/fields",
            [
                "field": .object([
                    .init("title", .string(title)), .init("type", .string(type)),
                    .init("perstag", .string(personalizationTag)),
                ])
            ])
    }

    /// `POST /fieldRels`: makes a field available on every list (`relid` 0).
    package static func relateToAllLists(fieldID: String) -> ActiveCampaignCall {
        post("/fieldRels", ["fieldRel": .object([.init("field", .string(fieldID)), .init("relid", .number("0"))])])
    }

    /// `GET /lists?filters[name]=NAME`.
    package static func findList(named name: String) -> ActiveCampaignCall {
        ActiveCampaignCall(.get, .api("/lists?filters%5Bname%5D=" + FormEncoding.escape(name)))
    }

    /// `POST /lists`: a list, with the sender details AC requires.
    package static func createList(name: String, stringID: String, senderURL: String, senderReminder: String)
        -> ActiveCampaignCall
    {
        post(
            "/lists",
            [
                "list": .object([
                    .init("name", .string(name)), .init("stringid", .string(stringID)),
                    .init("sender_url", .string(senderURL)), .init("sender_reminder", .string(senderReminder)),
                ])
            ])
    }

    /// `POST /contactLists`: subscribes (status 1, which also re-subscribes) or unsubscribes (2).
    package static func listStatus(listID: String, contactID: String, subscribed: Bool) -> ActiveCampaignCall {
        post(
            "/contactLists",
            [
                "contactList": .object([
                    .init("list", .string(listID)), .init("contact", .string(contactID)),
                    .init("status", .number(subscribed ? "1" : "2")),
                ])
            ])
    }

    /// `GET /tags?filters[search][eq]=NAME`: the exact name (plain `search` matches substrings).
    package static func findTag(named name: String) -> ActiveCampaignCall {
        ActiveCampaignCall(.get, .api("/tags?filters%5Bsearch%5D%5Beq%5D=" + FormEncoding.escape(name)))
    }

    /// `POST /tags`: a contact tag.
    package static func createTag(named name: String) -> ActiveCampaignCall {
        post("/tags", ["tag": .object([.init("tag", .string(name)), .init("tagType", .string("contact"))])])
    }

    /// `POST /contactTags`: tags a contact; the answer's `contactTag.id` is what removing it takes.
    package static func addTag(tagID: String, contactID: String) -> ActiveCampaignCall {
        post(
            "/contactTags",
            ["contactTag": .object([.init("contact", .string(contactID)), .init("tag", .string(tagID))])])
    }

    /// `DELETE /contactTags/ID`: removes a tag from a contact (404 when it is already gone).
    package static func removeTag(contactTagID: String) -> ActiveCampaignCall {
        ActiveCampaignCall(.delete, .api("/contactTags/" + FormEncoding.escape(contactTagID)))
    }

    /// `GET /contacts/ID/contactTags`: a contact's tags, to find a contact-tag id logfold did not keep.
    package static func contactTags(contactID: String) -> ActiveCampaignCall {
        ActiveCampaignCall(.get, .api("/contacts/" + FormEncoding.escape(contactID) + "/contactTags"))
    }

    // MARK: Event tracking

    /// `POST https://trackcmp.net/event`: a tracked event.
    ///
    /// Form-encoded, authenticated by `actid` and `key` (not `Api-Token`). `name` must already be short
    /// enough (``ActiveCampaignEventName``).
    package static func trackEvent(
        account: String, key: String, name: String, data: String?, email: String
    ) -> ActiveCampaignCall {
        var visit: [UInt8] = []
        JSONValue.object([.init("email", .string(email))]).write(into: &visit)
        var fields = [("actid", account), ("key", key), ("event", name)]
        if let data { fields.append(("eventdata", data)) }
        fields.append(("visit", String(decoding: visit, as: UTF8.self)))
        let body = fields.map { $0.0 + "=" + FormEncoding.escape($0.1) }.joined(separator: "&")
        return ActiveCampaignCall(
            .post, .tracking, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    // MARK: Helpers

    static func post(_ path: String, _ root: KeyValuePairs<String, JSONValue>) -> ActiveCampaignCall {
        ActiveCampaignCall(.post, .api(path), body: render(root))
    }

    static func render(_ root: KeyValuePairs<String, JSONValue>) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONValue.object(root.map { .init($0.key, $0.value) }).write(into: &bytes)
        return bytes
    }
}

/// A contact as `contact/sync` sets it.
package struct ContactValues: Sendable, Hashable {
    /// One custom field's value.
    package struct FieldValue: Sendable, Hashable {
        /// AC's field id.
        package var fieldID: String
        /// The value; empty clears the field.
        package var value: String

        /// Creates a value.
        package init(fieldID: String, value: String) {
            self.fieldID = fieldID
            self.value = value
        }
    }

    /// The identity: AC finds the contact by it.
    package var email: String
    /// `nil`: leave as is; `""`: clear.
    package var firstName: String?
    /// `nil`: leave as is; `""`: clear.
    package var lastName: String?
    /// `nil`: leave as is; `""`: clear.
    package var phone: String?
    /// Custom field values, in the order given.
    package var fields: [FieldValue]

    /// Creates the values.
    package init(
        email: String, firstName: String? = nil, lastName: String? = nil, phone: String? = nil,
        fields: [FieldValue] = []
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.fields = fields
    }
}

/// `application/x-www-form-urlencoded` and query escaping: everything but RFC 3986's unreserved bytes is
/// percent-encoded (so `+`, `&`, `=` and `[` inside a value cannot change its meaning).
package enum FormEncoding {
    /// `text` with every byte outside `A-Z a-z 0-9 - . _ ~` percent-encoded.
    package static func escape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
